import { describe, expect, it } from 'vitest';
import { decideTarget, guardedLookup, parseAllowList, TargetRefusedError, type Resolver } from '../../../server/replay/target-guard';

// Pure decisions only: nothing here opens a socket, so a broken guard cannot send traffic anywhere.
const open = parseAllowList('');
const decide = (url: string, addresses: string[] = [], policy = open) => decideTarget(new URL(url), addresses, policy);

describe('target guard: cloud metadata', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/',
    'http://[fd00:ec2:0:0:0:0:0:254]/',
    'http://[::ffff:169.254.169.254]/',
    'http://[64:ff9b::169.254.169.254]/', // NAT64
    'http://[::169.254.169.254]/', // IPv4-compatible
    'http://0xa9fea9fe/', // the URL parser turns hex and decimal forms into dotted quads
    'http://2852039166/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://METADATA.google.internal./',
    'http://169.254.170.2/v2/credentials',
  ])('refuses %s with an empty allow-list', (url) => {
    const decision = decide(url);
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.reason).toMatch(/metadata/);
  });

  it('refuses a name that resolves to a metadata address', () => {
    const decision = decide('http://innocent.example/', ['93.184.216.34', '169.254.169.254']);
    expect(decision).toEqual({ ok: false, reason: expect.stringContaining('169.254.169.254') });
  });

  it('refuses a metadata address covered only by a CIDR or a wildcard', () => {
    expect(decide('http://169.254.169.254/', [], parseAllowList('169.254.0.0/16')).ok).toBe(false);
    expect(decide('http://metadata.google.internal/', ['169.254.169.254'], parseAllowList('*.google.internal')).ok).toBe(false);
  });

  it('allows a metadata target the allow-list names exactly', () => {
    expect(decide('http://169.254.169.254/', [], parseAllowList('169.254.169.254')).ok).toBe(true);
    expect(decide('http://[fd00:ec2::254]/', [], parseAllowList('fd00:ec2:0::254')).ok).toBe(true);
    const both = parseAllowList('metadata.google.internal, 169.254.169.254');
    expect(decide('http://metadata.google.internal/', ['169.254.169.254'], both).ok).toBe(true);
  });
});

describe('target guard: metadata addresses inside IPv6 transition forms', () => {
  const METADATA_MESSAGE = /is a cloud metadata address; name it in the replay allow-list to allow it$/;
  it.each([
    ['NAT64 well-known prefix', '64:ff9b::a9fe:a9fe'],
    ['local-use NAT64, /96', '64:ff9b:1::a9fe:a9fe'],
    ['local-use NAT64, /64', '64:ff9b:1:0:a9:fea9:fe00:0'],
    ['local-use NAT64, /56', '64:ff9b:1:a9:fe:a9fe::'],
    ['local-use NAT64, /48', '64:ff9b:1:a9fe:a9:fe00::'],
    ['SIIT (IPv4-translated)', '::ffff:0:a9fe:a9fe'],
    ['IPv4-mapped', '::ffff:a9fe:a9fe'],
    ['IPv4-compatible', '::a9fe:a9fe'],
    ['6to4', '2002:a9fe:a9fe::'],
    ['6to4 with a host part', '2002:a9fe:a9fe:1::1'],
    ['Teredo, the client (XOR 0xffffffff)', '2001:0:4136:e378:8000:63bf:5601:5601'],
    ['Teredo, the server', '2001:0:a9fe:a9fe::1'],
    ['6to4 of the ECS task metadata address', '2002:a9fe:aa02::'],
    ['NAT64 of Alibaba Cloud metadata', '64:ff9b::6464:64c8'],
    ['uncompressed SIIT', '0:0:0:0:ffff:0:a9fe:a9fe'],
  ])('refuses %s (%s) as a URL literal and as a resolved address, with the usual message', (_form, address) => {
    const literal = decide(`http://[${address}]/latest/meta-data/`);
    expect(literal).toEqual({ ok: false, reason: expect.stringMatching(METADATA_MESSAGE) });
    const resolved = decide('http://innocent.example/', [address]);
    expect(resolved).toEqual({ ok: false, reason: expect.stringMatching(METADATA_MESSAGE) });
  });

  it.each([
    '2002:5db8:d822::1', // 6to4 of 93.184.216.34
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '64:ff9b:1::808:808',
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7', // Teredo client 8.8.8.8
    '2001:db8::a9fe:a9fe', // documentation prefix: nothing embedded
    '::1',
  ])('lets %s through (no metadata address inside)', (address) => {
    expect(decide(`http://[${address}]/`).ok).toBe(true);
  });

  it('allows a transition form the allow-list names exactly, and only that one', () => {
    const policy = parseAllowList('2002:a9fe:a9fe::');
    expect(decide('http://[2002:a9fe:a9fe::]/', [], policy).ok).toBe(true);
    expect(decide('http://[64:ff9b:1::a9fe:a9fe]/', [], policy).ok).toBe(false);
  });

  it('fails the lookup hook when a name resolves to a transition form of a metadata address', async () => {
    for (const address of ['64:ff9b:1::a9fe:a9fe', '::ffff:0:a9fe:a9fe', '2002:a9fe:a9fe::', '2001:0:4136:e378:8000:63bf:5601:5601']) {
      const resolver: Resolver = async () => [{ address: '2606:4700::1111', family: 6 }, { address, family: 6 }];
      const error = await new Promise<Error | null>((resolve) => guardedLookup(open, false, resolver)('rebind.test', { all: true }, (e) => resolve(e)));
      expect(error).toBeInstanceOf(TargetRefusedError);
      expect(error?.message).toContain(`rebind.test resolves to ${address}`);
      expect(error?.message).toMatch(/cloud metadata address/);
    }
  });
});

describe('target guard: allow-list', () => {
  it('lets any other http(s) host through when the list is empty', () => {
    expect(decide('http://127.0.0.1:3000/hook').ok).toBe(true);
    expect(decide('https://example.com/', ['93.184.216.34']).ok).toBe(true);
  });

  it('refuses other schemes', () => {
    expect(decide('file:///etc/passwd').ok).toBe(false);
    expect(decide('ftp://example.com/').ok).toBe(false);
  });

  it('matches addresses, CIDRs, names and wildcards', () => {
    const policy = parseAllowList('127.0.0.2, 10.0.0.0/8 *.internal.test localhost');
    expect(decide('http://127.0.0.2:9/', [], policy).ok).toBe(true);
    expect(decide('http://127.0.0.1:9/', [], policy).ok).toBe(false);
    expect(decide('http://10.1.2.3/', [], policy).ok).toBe(true);
    expect(decide('http://api.internal.test/', ['192.168.1.1'], policy).ok).toBe(true);
    expect(decide('http://localhost/', ['127.0.0.1'], policy).ok).toBe(true);
    expect(decide('http://other.test/', ['127.0.0.2'], policy).ok).toBe(true); // the name resolves inside the list
    expect(decide('http://other.test/', ['127.0.0.2', '127.0.0.1'], policy).ok).toBe(false); // every address must be
  });

  it('rejects malformed entries', () => {
    expect(() => parseAllowList('10.0.0.0/40')).toThrow(/CIDR/);
    expect(() => parseAllowList('user@host')).toThrow(/neither/);
  });
});

describe('guarded lookup', () => {
  const resolveTo = (address: string, family = 4): Resolver => async () => [{ address, family }];
  const lookup = (policy: ReturnType<typeof parseAllowList>, resolver: Resolver, all = false) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) =>
      guardedLookup(policy, false, resolver)('example.test', { all }, (error, address) => resolve({ error, address })));

  it('fails the connection when the name resolves to a metadata address', async () => {
    const { error } = await lookup(open, resolveTo('169.254.169.254'));
    expect(error).toBeInstanceOf(TargetRefusedError);
  });

  it('fails when the resolved address is outside the allow-list', async () => {
    const { error } = await lookup(parseAllowList('127.0.0.2'), resolveTo('127.0.0.1'));
    expect(error).toBeInstanceOf(TargetRefusedError);
  });

  it('hands over the checked address, in both callback shapes', async () => {
    expect(await lookup(open, resolveTo('127.0.0.1'))).toEqual({ error: null, address: '127.0.0.1' });
    expect(await lookup(open, resolveTo('::1', 6), true)).toEqual({ error: null, address: [{ address: '::1', family: 6 }] });
  });
});
