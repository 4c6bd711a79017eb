import type { SignatureVerdict } from '../../shared/verdicts';
import type { HeaderToken } from '../../shared/verify-config';
import { headerValues, type RawDelivery } from '../delivery/raw-delivery';
import { fingerprint, sameText } from '../signing/digests';

const SCHEME = 'header-token';

/** Config entries grouped by header name (case-insensitive): each group is one requirement. */
function groups(tokens: HeaderToken[]): Map<string, { header: string; values: string[] }> {
  const byHeader = new Map<string, { header: string; values: string[] }>();
  for (const token of tokens) {
    const key = token.header.toLowerCase();
    const group = byHeader.get(key) ?? { header: token.header, values: [] };
    group.values.push(token.value);
    byHeader.set(key, group);
  }
  return byHeader;
}

/** Why a received value is not the expected one, when it is a near miss worth naming (compared in constant time). */
function nearMiss(expected: string, got: string): string | undefined {
  const bare = (v: string) => v.replace(/^(Bearer|Basic|Token)\s+/i, '').trim();
  if (sameText(expected, got.trim())) return 'The value matches once surrounding whitespace is removed: the sender adds spaces or a newline.';
  const scheme = (v: string) => {
    const word = /^(Bearer|Basic|Token)\s+/i.exec(v)?.[1];
    return word ? `"${word} …"` : 'the bare token';
  };
  if (sameText(bare(expected), bare(got))) return `The token matches but the scheme prefix differs: the sender sends ${scheme(got)}, the endpoint expects ${scheme(expected)} — include or drop the prefix in the configured value.`;
  if (sameText(expected.toLowerCase(), got.toLowerCase())) return 'The value differs only in letter case.';
  return undefined;
}

/**
 * Static header tokens (Treble "Webhook Headers", Braze, AJO header parameters): every configured
 * header must carry one of its configured values, compared in constant time. Entries naming the
 * same header are alternatives (rotation).
 */
export function verifyHeaderTokens(delivery: RawDelivery, tokens: HeaderToken[]): SignatureVerdict {
  const checked: string[] = [];
  for (const { header, values } of groups(tokens).values()) {
    const received = headerValues(delivery.headers, header);
    const expected = { header, fingerprints: values.map(fingerprint) };
    if (received.length === 0) return { status: 'missing', scheme: SCHEME, reason: `no ${header} header`, details: { expected } };
    const ok = received.some((got) => values.some((value) => sameText(value, got)));
    if (!ok) {
      const hint = received.flatMap((got) => values.map((value) => nearMiss(value, got))).find(Boolean);
      return {
        status: 'invalid',
        scheme: SCHEME,
        reason: `the ${header} header does not carry the configured value`,
        hint: hint ?? `The received value (fingerprint ${fingerprint(received[0] as string)}) is not the configured one (${expected.fingerprints.join(', ')}): the platform sends another token.`,
        details: { expected, received: received.map(fingerprint) },
      };
    }
    checked.push(header);
  }
  return { status: 'valid', scheme: SCHEME, reason: `${checked.join(' and ')} carr${checked.length === 1 ? 'ies' : 'y'} the configured value`, details: { headers: checked } };
}
