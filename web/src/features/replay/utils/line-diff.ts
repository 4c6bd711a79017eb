export type DiffLine = { kind: 'same' | 'removed' | 'added'; text: string };

const MAX_CELLS = 4_000_000; // LCS table size beyond which the diff falls back to a plain listing

/**
 * Line diff of two texts by longest common subsequence: lines only in `a` are `removed`, only
 * in `b` are `added`. Very large inputs (> MAX_CELLS line pairs) are shown as all removed then
 * all added rather than freezing the page.
 */
export function diffLines(a: string, b: string): DiffLine[] {
  const left = a.split('\n');
  const right = b.split('\n');
  const n = left.length;
  const m = right.length;
  if (n * m > MAX_CELLS) {
    return [...left.map((text) => ({ kind: 'removed' as const, text })), ...right.map((text) => ({ kind: 'added' as const, text }))];
  }
  // lengths[i][j]: LCS length of left[i..] and right[j..], in one flat array.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i * width + j] = left[i] === right[j]
        ? (lengths[(i + 1) * width + j + 1] as number) + 1
        : Math.max(lengths[(i + 1) * width + j] as number, lengths[i * width + j + 1] as number);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (left[i] === right[j]) {
      out.push({ kind: 'same', text: left[i] as string });
      i += 1;
      j += 1;
    } else if ((lengths[(i + 1) * width + j] as number) >= (lengths[i * width + j + 1] as number)) {
      out.push({ kind: 'removed', text: left[i] as string });
      i += 1;
    } else {
      out.push({ kind: 'added', text: right[j] as string });
      j += 1;
    }
  }
  while (i < n) out.push({ kind: 'removed', text: left[i++] as string });
  while (j < m) out.push({ kind: 'added', text: right[j++] as string });
  return out;
}

/** A response body as comparable text: pretty-printed when it is JSON. */
export function comparableBody(body: { encoding: 'utf8' | 'base64'; data: string } | undefined): string {
  if (!body) return '';
  if (body.encoding === 'base64') return `(binary, ${Math.floor((body.data.length * 3) / 4)} bytes, base64)\n${body.data}`;
  try {
    return JSON.stringify(JSON.parse(body.data), null, 2);
  } catch {
    return body.data;
  }
}
