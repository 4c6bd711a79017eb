import { describe, expect, it } from 'vitest';
import { embeddedIpv4s, ipv6Bytes, peerKey } from '../../../server/net/ip-address';

describe('ipv6Bytes', () => {
  it('reads compressed, uncompressed, dotted-tail and zoned forms alike', () => {
    const expected = Buffer.from('00000000000000000000ffffa9fea9fe', 'hex');
    for (const text of ['::ffff:a9fe:a9fe', '0:0:0:0:0:ffff:a9fe:a9fe', '::ffff:169.254.169.254', '[::FFFF:A9FE:A9FE]', '::ffff:a9fe:a9fe%eth0']) {
      expect(Buffer.from(ipv6Bytes(text) ?? [])).toEqual(expected);
    }
  });

  it('is null for anything that is not IPv6', () => {
    expect(ipv6Bytes('169.254.169.254')).toBeNull();
    expect(ipv6Bytes('example.com')).toBeNull();
    expect(ipv6Bytes('1::2::3')).toBeNull();
  });
});

describe('embeddedIpv4s (the classifier the target guard uses)', () => {
  it.each([
    ['::ffff:a9fe:a9fe', ['169.254.169.254']],
    ['::ffff:0:a9fe:a9fe', ['169.254.169.254']],
    ['::a9fe:a9fe', ['169.254.169.254']],
    ['64:ff9b::a9fe:a9fe', ['169.254.169.254']],
    ['2002:a9fe:a9fe::', ['169.254.169.254']],
    ['2001:0:a9fe:a9fe::1', ['169.254.169.254', '255.255.255.254']],
    ['2001:0:4136:e378:8000:63bf:5601:5601', ['65.54.227.120', '169.254.169.254']],
  ])('%s carries %j', (address, expected) => {
    expect(embeddedIpv4s(address)).toEqual(expected);
  });

  it('reads local-use NAT64 at every prefix length RFC 6052 allows inside the /48', () => {
    expect(embeddedIpv4s('64:ff9b:1:a9fe:a9:fe00::')).toContain('169.254.169.254'); // /48
    expect(embeddedIpv4s('64:ff9b:1:a9:fe:a9fe::')).toContain('169.254.169.254'); // /56
    expect(embeddedIpv4s('64:ff9b:1:0:a9:fea9:fe00:0')).toContain('169.254.169.254'); // /64
    expect(embeddedIpv4s('64:ff9b:1::a9fe:a9fe')).toContain('169.254.169.254'); // /96
  });

  it('finds nothing in ordinary addresses', () => {
    expect(embeddedIpv4s('2606:4700::1111')).toEqual([]);
    expect(embeddedIpv4s('fd00:ec2::254')).toEqual([]);
    expect(embeddedIpv4s('169.254.169.254')).toEqual([]);
  });
});

describe('peerKey', () => {
  it('counts IPv4 peers by address, mapped ones too', () => {
    expect(peerKey('203.0.113.7')).toBe('203.0.113.7');
    expect(peerKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 peers by their /64', () => {
    expect(peerKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(peerKey('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
    expect(peerKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(peerKey('::1')).toBe('0:0:0:0::/64');
  });
});
