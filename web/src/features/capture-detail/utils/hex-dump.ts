const BYTES_PER_LINE = 16;

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
}

/**
 * `hexdump -C` style lines: offset, 16 bytes in two groups of 8, and the printable ASCII.
 * `start` and `length` select a window (for paging through large bodies).
 */
export function hexDump(bytes: Uint8Array, start = 0, length = bytes.length): string[] {
  const end = Math.min(bytes.length, start + length);
  const lines: string[] = [];
  for (let offset = start; offset < end; offset += BYTES_PER_LINE) {
    const chunk = bytes.subarray(offset, Math.min(offset + BYTES_PER_LINE, end));
    let hex = '';
    for (let i = 0; i < BYTES_PER_LINE; i += 1) {
      hex += i < chunk.length ? (chunk[i] as number).toString(16).padStart(2, '0') : '  ';
      hex += i === 7 ? '  ' : ' ';
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex} |${Array.from(chunk, printable).join('')}|`);
  }
  return lines;
}
