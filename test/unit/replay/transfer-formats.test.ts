import { describe, expect, it } from 'vitest';
import { curlCommand, shellQuote } from '../../../server/replay/curl';
import { captureOfHarEntry, splitHarUrl } from '../../../server/replay/har';
import { harEntrySchema } from '../../../server/replay/har-schema';
import { sniffFormat } from '../../../server/replay/transfer';

describe('copy as curl', () => {
  it('quotes for POSIX sh, single quotes included', () => {
    expect(shellQuote(`it's $HOME \`x\``)).toBe(`'it'\\''s $HOME \`x\`'`);
  });

  it('suppresses curl defaults the capture did not have and sends empty headers as `Name;`', () => {
    const { command, binaryBody } = curlCommand({ method: 'PUT', url: 'http://127.0.0.1:1/x', headers: [['X-Empty', ''], ['Accept', '*/*']], body: Buffer.from('hi') }, 'c');
    expect(binaryBody).toBe(false);
    expect(command).toContain(`-X 'PUT'`);
    expect(command).toContain(`-H 'X-Empty;'`);
    expect(command).toContain(`-H 'User-Agent:'`);
    expect(command).not.toContain(`-H 'Accept:'`);
    expect(command).toContain(`--data-binary 'hi'`);
  });

  it('writes binary bodies to a file through base64', () => {
    const { command, binaryBody } = curlCommand({ method: 'POST', url: 'http://127.0.0.1:1/', headers: [], body: Buffer.from([0, 255]) }, 'hookscope-abc');
    expect(binaryBody).toBe(true);
    expect(command).toMatch(/^base64 -d > 'hookscope-abc.body' <<'HOOKSCOPE_BODY'\nAP8=\nHOOKSCOPE_BODY\ncurl /);
    expect(command).toContain(`--data-binary @'hookscope-abc.body'`);
  });
});

describe('HAR import of other tools\' files', () => {
  it('splits URLs without normalising them', () => {
    expect(splitHarUrl('https://x.test/h/abc/github/push?a=%20&b')).toEqual({ path: '/github/push', query: 'a=%20&b' });
    expect(splitHarUrl('https://x.test/h/abc')).toEqual({ path: '', query: '' });
    expect(splitHarUrl('https://api.test/v1/hook?x=1#frag')).toEqual({ path: '/v1/hook', query: 'x=1' });
  });

  it('takes a browser-style entry (base64 postData via `encoding`)', () => {
    const entry = harEntrySchema.parse({
      startedDateTime: '2024-05-01T10:00:00.123Z', time: 12,
      request: {
        method: 'POST', url: 'https://api.test/hook?x=1', httpVersion: 'HTTP/2', cookies: [], headersSize: -1, bodySize: 2,
        headers: [{ name: 'content-type', value: 'application/octet-stream' }], queryString: [{ name: 'x', value: '1' }],
        postData: { mimeType: 'application/octet-stream', text: 'AP8=', encoding: 'base64' },
      },
      response: { status: 204, statusText: 'No Content', httpVersion: 'HTTP/2', cookies: [], headers: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: 0 },
      cache: {}, timings: { send: 0, wait: 10, receive: 2 },
    });
    const capture = captureOfHarEntry(entry, 'e');
    expect(capture).toMatchObject({ endpointId: 'e', method: 'POST', path: '/hook', query: 'x=1', receivedAt: Date.parse('2024-05-01T10:00:00.123Z'), reply: { status: 204 }, contentType: 'application/octet-stream' });
    expect([...capture.body]).toEqual([0, 255]);
  });

  it('sniffs HAR against JSON Lines', () => {
    expect(sniffFormat(Buffer.from(' {\n "log": {'))).toBe('har');
    expect(sniffFormat(Buffer.from('{"receivedAt":1}\n'))).toBe('jsonl');
  });
});
