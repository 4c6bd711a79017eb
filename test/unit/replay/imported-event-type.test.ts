import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { HeaderPairs } from '../../../shared/capture';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../../shared/verdicts';
import { bodySearchText } from '../../../server/delivery/search-text';
import { completeImported } from '../../../server/replay/imported-event-type';
import { eventTypeOf } from '../../../server/validate/event-type';

const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

function capture(headers: HeaderPairs, body: Buffer) {
  return {
    endpointId: 'e', receivedAt: 0, method: 'POST', path: '/h', query: '', peer: '', headers, body, size: body.length,
    contentType: null, reply: { status: 200 }, verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA }, deliveryId: null, duplicateOf: null, eventType: null,
  };
}

describe('an imported capture completed from one parse of its body', () => {
  // Bodies on and off the shared path: JSON with a BOM and leading space, an array, GitHub's header
  // with the body's action, a form, gzip, invalid UTF-8, text that starts like JSON but is not.
  const cases: [HeaderPairs, Buffer][] = [
    [[JSON_TYPE], Buffer.from('\uFEFF  {"type":"invoice.paid","Note":"Quokka Here","n":12}')],
    [[JSON_TYPE], Buffer.from('[{"event":"order.created"},"Two"]')],
    [[JSON_TYPE, ['X-GitHub-Event', 'pull_request']], Buffer.from('{"action":"opened","number":1}')],
    [[['Content-Type', 'application/x-www-form-urlencoded']], Buffer.from('MessageStatus=delivered&MessageSid=SM1')],
    [[JSON_TYPE, ['Content-Encoding', 'gzip']], gzipSync('{"type":"zipped"}')],
    [[JSON_TYPE], Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])],
    [[JSON_TYPE], Buffer.from('{not json but {words}')],
    [[JSON_TYPE, ['Content-Encoding', 'identity']], Buffer.from('{"eventType":"X.Y"}')],
  ];

  it('has the event type and search text that separate parses give', () => {
    for (const [headers, body] of cases) {
      const completed = completeImported(capture(headers, body), undefined);
      // Fresh copies of the bytes: nothing remembered for them, so these are the separate parses.
      const fresh = Buffer.from(body);
      expect(completed.eventType).toBe(eventTypeOf({ ...capture(headers, fresh), url: 'http://import/h/e/h' }, SKIPPED_SCHEMA));
      expect(bodySearchText(headers, completed.body)).toBe(bodySearchText(headers, fresh));
    }
  });

  it('keeps the event type the file names', () => {
    expect(completeImported(capture([JSON_TYPE], Buffer.from('{"type":"a"}')), 'named').eventType).toBe('named');
    expect(completeImported(capture([JSON_TYPE], Buffer.from('{"type":"a"}')), null).eventType).toBe('a');
  });
});
