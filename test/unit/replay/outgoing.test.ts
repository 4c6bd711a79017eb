import { describe, expect, it } from 'vitest';
import { applyHeaderOverrides, buildOutgoing, forwardableHeaders, requestTarget, targetUrl, wireHeaders } from '../../../server/replay/outgoing';
import type { HeaderPairs } from '../../../shared/capture';

const captured: HeaderPairs = [
  ['Host', 'hooks.example.com'],
  ['User-Agent', 'GitHub-Hookshot/1'],
  ['Connection', 'keep-alive, X-Hop'],
  ['X-Hop', 'per-connection'],
  ['Content-Type', 'application/json'],
  ['X-Tag', 'a'],
  ['x-tag', 'b'],
  ['Content-Length', '2'],
  ['Transfer-Encoding', 'chunked'],
  ['Keep-Alive', 'timeout=5'],
];

describe('outgoing request', () => {
  it('drops hop-by-hop headers (and those Connection names), Host and Content-Length; keeps order, case and repeats', () => {
    expect(forwardableHeaders(captured)).toEqual([
      ['User-Agent', 'GitHub-Hookshot/1'], ['Content-Type', 'application/json'], ['X-Tag', 'a'], ['x-tag', 'b'],
    ]);
  });

  it('applies overrides: replace every value in place, remove with null, append new ones', () => {
    const headers = applyHeaderOverrides(forwardableHeaders(captured), { 'x-TAG': 'c', 'User-Agent': null, 'X-New': '1' });
    expect(headers).toEqual([['Content-Type', 'application/json'], ['x-TAG', 'c'], ['X-New', '1']]);
  });

  it('appends the sub-path and query only when asked', () => {
    const capture = { path: '/github/push', query: 'a=1&b=%20' };
    expect(targetUrl('http://127.0.0.1:3000/hook?x=1', capture, false)).toBe('http://127.0.0.1:3000/hook?x=1');
    expect(targetUrl('http://127.0.0.1:3000/hook/', capture, true)).toBe('http://127.0.0.1:3000/hook/github/push?a=1&b=%20');
    expect(targetUrl('http://127.0.0.1:3000/hook?x=1', capture, true)).toBe('http://127.0.0.1:3000/hook/github/push?x=1&a=1&b=%20');
  });

  it('appends the raw path and query byte for byte (no re-encoding of quotes, braces, dot segments)', () => {
    const capture = { path: '/a/../b/%2F', query: `x='y'&v="d"&f={x}&a[0]=1` };
    const url = targetUrl('http://127.0.0.1:3000/hook#frag', capture, true);
    expect(url).toBe(`http://127.0.0.1:3000/hook/a/../b/%2F?x='y'&v="d"&f={x}&a[0]=1`);
    expect(requestTarget(url)).toBe(`/hook/a/../b/%2F?x='y'&v="d"&f={x}&a[0]=1`);
    expect(requestTarget('http://h:1')).toBe('/');
    expect(requestTarget('http://h:1?x=1#y')).toBe('/?x=1');
  });

  it('keeps the exact body unless replaced, and puts Host first and Content-Length last on the wire', () => {
    const body = Buffer.from([0xff, 0x00, 0xfe]);
    const request = buildOutgoing({ method: 'POST', path: '', query: '', headers: captured, body }, { url: 'http://127.0.0.1:9/x' });
    expect(request.body.equals(body)).toBe(true);
    const wire = wireHeaders(request);
    expect(wire[0]).toEqual(['Host', '127.0.0.1:9']);
    expect(wire.at(-1)).toEqual(['Content-Length', '3']);
    const replaced = buildOutgoing({ method: 'POST', path: '', query: '', headers: [], body }, { url: 'http://x/', body: { encoding: 'utf8', data: 'é' } });
    expect(replaced.body).toEqual(Buffer.from('é'));
  });

  it('sends no Content-Length on a body-less GET, and 0 on a body-less POST', () => {
    const get = buildOutgoing({ method: 'GET', path: '', query: '', headers: [], body: Buffer.alloc(0) }, { url: 'http://x/' });
    expect(wireHeaders(get).some(([name]) => name === 'Content-Length')).toBe(false);
    expect(wireHeaders({ ...get, method: 'POST' }).at(-1)).toEqual(['Content-Length', '0']);
  });
});
