import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PREVIEW_MAX } from '../../../shared/capture';
import { bodyPreview } from '../../../server/delivery/body-preview';

const json = [['Content-Type', 'application/json']] as [string, string][];

describe('body preview (what the list shows at a glance)', () => {
  it('puts the start of a text body on one line', () => {
    const pretty = JSON.stringify({ action: 'opened', pull_request: { number: 42, title: 'Fix\ttabs' } }, null, 2);
    expect(bodyPreview(json, Buffer.from(pretty))).toEqual({ encoding: null, binary: false, text: '{ "action": "opened", "pull_request": { "number": 42, "title": "Fix\\ttabs" } }' });
  });

  it('decodes form fields', () => {
    const form = [['Content-Type', 'application/x-www-form-urlencoded']] as [string, string][];
    expect(bodyPreview(form, Buffer.from('MessageSid=SM1&Body=hello+w%C3%B6rld')).text).toBe('MessageSid=SM1 & Body=hello wörld');
  });

  it('cuts at PREVIEW_MAX characters with an ellipsis, never inside a surrogate pair', () => {
    const text = bodyPreview([], Buffer.from('😀'.repeat(500))).text;
    expect(text.length).toBeLessThanOrEqual(PREVIEW_MAX);
    expect(text.endsWith('…')).toBe(true);
    expect(/[\ud800-\udbff]…$/.test(text)).toBe(false);
  });

  it('labels gzip, deflate and br bodies and previews them decoded', () => {
    const body = JSON.stringify({ zipped: true });
    for (const [encoding, bytes] of [['gzip', gzipSync(body)], ['deflate', deflateSync(body)], ['br', brotliCompressSync(body)]] as const) {
      expect(bodyPreview([...json, ['Content-Encoding', encoding.toUpperCase()]], bytes)).toEqual({ encoding, binary: false, text: body });
    }
  });

  it('marks binary bodies (not UTF-8, or NUL) and undecodable compressed ones', () => {
    expect(bodyPreview([], Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]))).toEqual({ encoding: null, binary: true, text: '' });
    expect(bodyPreview([], Buffer.from('a\0b')).binary).toBe(true);
    expect(bodyPreview([['Content-Encoding', 'gzip']], Buffer.from('not gzip'))).toEqual({ encoding: 'gzip', binary: true, text: '' });
    expect(bodyPreview([], Buffer.alloc(0))).toEqual({ encoding: null, binary: false, text: '' });
  });

  it('previews the start of a compression bomb without inflating all of it', () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 'a'));
    const preview = bodyPreview([['Content-Encoding', 'gzip']], bomb);
    expect(preview).toMatchObject({ encoding: 'gzip', binary: false });
    expect(preview.text).toMatch(/^a{100}/);
    expect(bodyPreview([['Content-Encoding', 'br']], brotliCompressSync(Buffer.alloc(50 * 1024 * 1024, 'a')))).toEqual({ encoding: 'br', binary: false, text: '' });
  });
});

describe('body preview of text heads (decoded without a TextDecoder when whole UTF-8)', () => {
  /** What the preview's text was made from before: a strict streaming TextDecoder over the first 4 KiB. */
  function decoderText(bytes: Buffer): string | null {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes.subarray(0, 4096), { stream: true });
    } catch {
      return null;
    }
  }

  it('drops a BOM, keeps a character cut at 4 KiB out, and calls invalid or NUL bytes binary, as the decoder does', () => {
    const bodies = [
      Buffer.from('\uFEFF{"a":1}'), Buffer.from('\uFEFF\uFEFFtwice'), Buffer.concat([Buffer.from('y'.repeat(4095)), Buffer.from('€ after')]),
      Buffer.from([0x7b, 0xff, 0x7d]), Buffer.from('a\0b'), Buffer.from(`${'é'.repeat(3000)}`), Buffer.from(' plain text '),
    ];
    for (const body of bodies) {
      const text = decoderText(body);
      const preview = bodyPreview([], body);
      expect(preview.binary).toBe(text === null || text.includes('\0'));
      if (!preview.binary) expect(preview.text.replace(/…$/, '')).toBe(text?.replace(/\s+/g, ' ').trim().slice(0, preview.text.endsWith('…') ? PREVIEW_MAX - 1 : undefined));
    }
  });
});
