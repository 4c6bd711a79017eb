import { crc32c } from '@node-rs/crc32';

/**
 * CRC-32C (Castagnoli) of every stored record, as 8 lower-case hex digits. CRC-32C rather than
 * SHA-256 or zlib's CRC-32: it is made to catch storage errors (every burst up to 32 bits, every
 * odd number of flipped bits), @node-rs/crc32 computes it with the CPU's CRC instruction
 * (~6 GB/s here, against ~1 GB/s for SHA-256 and ~1.5 GB/s for zlib.crc32), so verifying a whole
 * data folder at start-up costs little more than reading it. It guards against accidents, not
 * against someone who can write the data folder (they could recompute it).
 */
let enabled = true;

/**
 * Benchmarks only (bench/targets): compute no checksum ("00000000") and verify none, to measure
 * what checksums cost. Never set in a server that keeps real data.
 */
export function disableChecksumsForBenchmark(): void {
  enabled = false;
}

export function checksumsEnabled(): boolean {
  return enabled;
}

export function checksumOf(bytes: Buffer | string, initial = 0): number {
  if (!enabled) return 0;
  return crc32c(bytes, initial) >>> 0;
}

export function checksumHex(bytes: Buffer | string): string {
  return checksumOf(bytes).toString(16).padStart(8, '0');
}

/** Whether `hex` is the checksum of `bytes` (always true with checksums switched off). */
export function checksumMatches(bytes: Buffer, hex: string): boolean {
  return !enabled || (hex.length === 8 && checksumOf(bytes) === Number.parseInt(hex, 16));
}
