import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../config';
import { HttpError } from '../errors';
import { embeddedIpv4s } from '../net/ip-address';

/**
 * Where replays and forwards may go. An empty allow-list lets any http(s) host through except the
 * cloud metadata services, which answer with credentials to whoever reaches them (the classic SSRF
 * prize); those are refused unless the allow-list names them exactly (a CIDR or wildcard is not enough).
 */
export interface TargetPolicy {
  /** False when the allow-list is empty: every host but the metadata ones is allowed. */
  readonly restricted: boolean;
  /** Lower-case host names, `*.example.com` wildcards included. */
  readonly hosts: readonly string[];
  /** Addresses and CIDRs of the allow-list. */
  readonly addresses: BlockList;
  /** Metadata names / addresses the allow-list names exactly. */
  readonly explicitNames: ReadonlySet<string>;
  readonly explicitAddresses: BlockList;
}

export type TargetDecision = { ok: true; allowedByName: boolean } | { ok: false; reason: string };

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata.azure.internal']);
// AWS/GCP/Azure/OCI IMDS, AWS IMDS over IPv6, AWS ECS task metadata, Alibaba Cloud.
const METADATA_V4 = ['169.254.169.254', '169.254.170.2', '100.100.100.200'];
const METADATA_V6 = ['fd00:ec2::254'];
const metadataAddresses = new BlockList();
for (const a of METADATA_V4) metadataAddresses.addAddress(a, 'ipv4');
for (const a of METADATA_V6) metadataAddresses.addAddress(a, 'ipv6');

/** `[::1]` → `::1`, `Example.COM.` → `example.com`, `::ffff:1.2.3.4` and `64:ff9b::a9fe:a9fe` → IPv4. */
export function normalizeHost(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1] as string;
  // IPv4 inside IPv6 in hex (mapped, NAT64 64:ff9b::/96, deprecated compatible): judge the IPv4 address.
  const embedded = /^(?:::ffff:|64:ff9b::|::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(bare);
  if (embedded && isIP(bare) === 6) {
    const high = parseInt(embedded[1] as string, 16);
    const low = parseInt(embedded[2] as string, 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return bare;
}

function inList(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * True for the cloud metadata addresses and names, whatever spelling the URL parser left,
 * including a metadata IPv4 address inside any IPv6 transition form (NAT64, SIIT, 6to4, Teredo…).
 */
export function isMetadataTarget(host: string): boolean {
  const normalized = normalizeHost(host);
  if (METADATA_NAMES.has(normalized) || inList(metadataAddresses, normalized)) return true;
  return embeddedIpv4s(normalized).some((v4) => inList(metadataAddresses, v4));
}

/** Parses the `--replay-allow` setting: comma- or space-separated hosts, `*.domain` wildcards, addresses, CIDRs. ConfigError on a malformed entry. */
export function parseAllowList(setting: string): TargetPolicy {
  const hosts: string[] = [];
  const addresses = new BlockList();
  const explicitNames = new Set<string>();
  const explicitAddresses = new BlockList();
  const entries = setting.split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) {
    const [base, prefix] = entry.split('/') as [string, string | undefined];
    const address = normalizeHost(base);
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix !== undefined) {
      const bits = Number(prefix);
      if (isIP(address) === 0 || !/^\d+$/.test(prefix) || bits > (family === 'ipv6' ? 128 : 32)) throw new ConfigError(`--replay-allow / HOOKSCOPE_REPLAY_ALLOW: "${entry}" is not a valid CIDR`);
      addresses.addSubnet(address, bits, family);
    } else if (isIP(address) !== 0) {
      addresses.addAddress(address, family);
      if (isMetadataTarget(address)) explicitAddresses.addAddress(address, family);
    } else if (/^(\*\.)?[a-z0-9_.-]+$/.test(address)) {
      hosts.push(address);
      if (METADATA_NAMES.has(address)) explicitNames.add(address);
    } else {
      throw new ConfigError(`--replay-allow / HOOKSCOPE_REPLAY_ALLOW: "${entry}" is neither a host name, an address nor a CIDR`);
    }
  }
  return { restricted: entries.length > 0, hosts, addresses, explicitNames, explicitAddresses };
}

function nameAllowed(host: string, policy: TargetPolicy): boolean {
  return policy.hosts.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) : host === entry));
}

/** First check, before any DNS: scheme, metadata names and literal addresses, allow-list by name. */
export function checkUrl(url: URL, policy: TargetPolicy): TargetDecision {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `only http and https targets are allowed, not ${url.protocol}` };
  const host = normalizeHost(url.hostname);
  if (METADATA_NAMES.has(host) && !policy.explicitNames.has(host)) {
    return { ok: false, reason: `${host} is a cloud metadata service; name it in the replay allow-list to allow it` };
  }
  if (isIP(host) !== 0) return checkAddress(host, policy, false);
  if (!policy.restricted || nameAllowed(host, policy)) return { ok: true, allowedByName: policy.restricted };
  return { ok: true, allowedByName: false }; // decided once the name resolves
}

/** Second check, for every address a name resolved to (and for literal addresses). */
export function checkAddress(address: string, policy: TargetPolicy, allowedByName: boolean): TargetDecision {
  const normalized = normalizeHost(address);
  if (isMetadataTarget(normalized) && !inList(policy.explicitAddresses, normalized)) {
    return { ok: false, reason: `${normalized} is a cloud metadata address; name it in the replay allow-list to allow it` };
  }
  if (policy.restricted && !allowedByName && !inList(policy.addresses, normalized)) {
    return { ok: false, reason: `${normalized} is not in the replay allow-list` };
  }
  return { ok: true, allowedByName };
}

/** The whole decision for a URL whose host resolved to `addresses` (pure: what tests exercise). */
export function decideTarget(url: URL, addresses: string[], policy: TargetPolicy): TargetDecision {
  const first = checkUrl(url, policy);
  if (!first.ok) return first;
  for (const address of addresses) {
    const decision = checkAddress(address, policy, first.allowedByName);
    if (!decision.ok) return decision;
  }
  return first;
}

/** A target the policy forbids (maps to 403); also what a guarded lookup fails with. */
export class TargetRefusedError extends HttpError {
  readonly code = 'ETARGETREFUSED';
  constructor(readonly reason: string) {
    super(403, `target refused: ${reason}`);
    this.name = 'TargetRefusedError';
  }
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts), every address. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that checks every resolved address before the socket connects,
 * so the address checked is the address used (no DNS-rebinding window between check and connect).
 */
export function guardedLookup(policy: TargetPolicy, allowedByName: boolean, resolver: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    resolver(hostname).then(
      (found) => {
        const wanted = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
        for (const { address } of found) {
          const decision = checkAddress(address, policy, allowedByName);
          if (!decision.ok) return callback(new TargetRefusedError(`${hostname} resolves to ${address}: ${decision.reason}`), '');
        }
        if (wanted.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        if (options.all) return callback(null, wanted);
        const first = wanted[0] as LookupAddress;
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
