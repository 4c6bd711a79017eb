import { isIP } from 'node:net';

/**
 * The 16 bytes of an IPv6 address in any textual form (`::` compression, a dotted-quad tail,
 * a `%zone`), or null when `text` is not an IPv6 address.
 */
export function ipv6Bytes(text: string): Uint8Array | null {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(bare) !== 6) return null;
  const halves = bare.split('::');
  const groupsOf = (part: string | undefined): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const groups = halves.length === 2 ? [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

const dotted = (b: Uint8Array, at: readonly number[]) => at.map((i) => b[i] ?? 0).join('.');
const zeros = (b: Uint8Array, from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
const startsWith = (b: Uint8Array, prefix: readonly number[]) => prefix.every((x, i) => b[i] === x);

/** Byte positions of the IPv4 address in a NAT64 address, per prefix length (RFC 6052 §2.2; byte 8 is the reserved "u" octet). */
const RFC6052_POSITIONS: readonly (readonly number[])[] = [
  [6, 7, 9, 10], // /48
  [7, 9, 10, 11], // /56
  [9, 10, 11, 12], // /64
  [12, 13, 14, 15], // /96
];

/**
 * Every IPv4 address an IPv6 address carries by a transition mechanism, so a check on IPv4
 * targets can see through them: IPv4-mapped `::ffff:0:0/96`, SIIT `::ffff:0:0:0/96`,
 * IPv4-compatible `::/96`, NAT64 `64:ff9b::/96` (RFC 6052) and the local-use `64:ff9b:1::/48`
 * (RFC 8215; every prefix length it may be split into), 6to4 `2002::/16` (RFC 3056) and Teredo
 * `2001::/32` (RFC 4380: the server, and the client obfuscated by XOR). Empty for anything else.
 */
export function embeddedIpv4s(address: string): string[] {
  const b = ipv6Bytes(address);
  if (!b) return [];
  const last = dotted(b, [12, 13, 14, 15]);
  if (zeros(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return [last]; // IPv4-mapped
  if (zeros(b, 0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(b, 10, 12)) return [last]; // SIIT
  if (zeros(b, 0, 12)) return [last]; // IPv4-compatible (deprecated)
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b]) && zeros(b, 4, 12)) return [last]; // NAT64 well-known prefix
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01])) return RFC6052_POSITIONS.map((at) => dotted(b, at)); // local-use NAT64
  if (startsWith(b, [0x20, 0x02])) return [dotted(b, [2, 3, 4, 5])]; // 6to4
  if (startsWith(b, [0x20, 0x01, 0x00, 0x00])) {
    const client = [12, 13, 14, 15].map((i) => (b[i] ?? 0) ^ 0xff).join('.');
    return [dotted(b, [4, 5, 6, 7]), client]; // Teredo: server, client
  }
  return [];
}

/**
 * The key a peer is counted under: an IPv4 address as itself (`::ffff:1.2.3.4` too), an IPv6
 * address by its /64 — one host usually holds a whole /64, so counting single addresses would let
 * it open a new one per upload. Anything else (a Unix socket's empty address) as it is.
 */
export function peerKey(address: string): string {
  const b = ipv6Bytes(address);
  if (!b) return address;
  if (zeros(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return dotted(b, [12, 13, 14, 15]);
  const groups = Array.from({ length: 4 }, (_, i) => (((b[i * 2] ?? 0) << 8) | (b[i * 2 + 1] ?? 0)).toString(16));
  return `${groups.join(':')}::/64`;
}
