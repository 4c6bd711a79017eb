import { describe, expect, it } from 'vitest';
import type { HeaderPairs } from '../../../shared/capture';
import { bodySearchText, jsonSearchText, searchTextSharesJsonParse } from '../../../server/delivery/search-text';
import type { RawDelivery } from '../../../server/delivery/raw-delivery';
import { parsedBodyOf } from '../../../server/validate/parse-body';

const json: HeaderPairs = [['Content-Type', 'application/json']];
const delivery = (headers: HeaderPairs, body: Buffer): RawDelivery => ({
  endpointId: 'e', method: 'POST', path: '', query: '', url: 'http://x/h/e', headers, peer: '127.0.0.1', body, receivedAt: 0,
});

// Ingest hands the checks' JSON parse to the search text when searchTextSharesJsonParse says both
// read the same text: then the text made from that parse must be what parsing the body gives.
const bodies: [string, HeaderPairs, Buffer][] = [
  ['an object', json, Buffer.from('{"type":"message.read","data":{"conversation":1234,"Name":"Zoë"}}')],
  ['an array after a BOM and spaces', json, Buffer.from('\uFEFF \n [{"a":"B"},2,true,null]')],
  ['nested keys and numbers', [], Buffer.from('{"x":{"y":[1.5e3,"Wamid.HBg"]}}')],
  ['deep nesting', json, Buffer.from(`${'['.repeat(100)}"deep"${']'.repeat(100)}`)],
  ['not JSON though it starts like it', json, Buffer.from('{not json')],
  ['a form', [['Content-Type', 'application/x-www-form-urlencoded']], Buffer.from('{"a":1}')],
  ['gzip declared', [['Content-Encoding', 'gzip']], Buffer.from('{"a":1}')],
  ['invalid UTF-8', json, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
  ['plain text', [], Buffer.from('hello there')],
  ['empty', json, Buffer.alloc(0)],
];

describe('the search text made from the checks\' parse', () => {
  it.each(bodies)('%s: is the text the body itself gives, or the body is left to its own parse', (_name, headers, body) => {
    const expected = bodySearchText(headers, Buffer.from(body)); // a fresh Buffer: nothing remembered
    if (!searchTextSharesJsonParse(headers, body)) return;
    const parsed = parsedBodyOf(delivery(headers, body));
    if (parsed.kind !== 'json') return; // ingest shares only a successful JSON parse
    expect(jsonSearchText(parsed.value)).toBe(expected);
  });

  it('shares the usual JSON body and none of the others', () => {
    const shared = bodies.filter(([, headers, body]) => searchTextSharesJsonParse(headers, body)).map(([name]) => name);
    expect(shared).toEqual(['an object', 'an array after a BOM and spaces', 'nested keys and numbers', 'deep nesting', 'not JSON though it starts like it']);
  });
});
