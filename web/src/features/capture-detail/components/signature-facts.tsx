import type { ReactNode } from 'react';

type Details = Record<string, unknown>;

const isRecord = (value: unknown): value is Details => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The doctor's causes, in words. */
const CAUSES: Record<string, string> = {
  'secret-encoding': 'the secret is read differently by the sender (text, base64 or hex)',
  'whsec-prefix': 'the whsec_ prefix was kept on one side and dropped on the other',
  'secret-whitespace': 'the configured secret has surrounding whitespace',
  'sender-secret-whitespace': 'the sender signs with the secret plus a newline or space',
  'sender-secret-quotes': 'the sender signs with quotes around the secret',
  'sender-secret-encoding': 'the sender signs with the base64 or hex text of the secret',
  'body-reserialized': 'the body was re-serialized between signing and arrival',
  'trailing-newline': 'a trailing newline was added or removed',
  'wrong-algorithm': 'the sender uses another hash',
  'wrong-encoding': 'the digest is hex where base64 is expected, or the other way round',
  'twilio-url': 'the URL Twilio signed is not the one that arrived',
  unknown: 'no usual mistake reproduces it (most likely another secret)',
  skipped: 'the usual mistakes were not tried',
};

/** `matchedSecret` → "Matched secret". */
function label(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function seconds(value: unknown): string {
  const n = Number(value);
  return Number.isFinite(n) ? `${n.toLocaleString()} s` : String(value);
}

function when(value: unknown): string {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return String(value);
  const ms = n > 1e12 ? n : n * 1000; // unix seconds or ms
  return `${String(value)} (${new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')})`;
}

/** A value as text a person reads: lists joined, small objects as `key: value` pairs. */
function plain(value: unknown): ReactNode {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    if (value.every((v) => !isRecord(v))) return value.map(String).join(', ');
    return <ul className="facts__list">{value.map((v, i) => <li key={i}>{plain(v)}</li>)}</ul>;
  }
  if (isRecord(value)) return Object.entries(value).map(([k, v]) => `${label(k).toLowerCase()}: ${isRecord(v) || Array.isArray(v) ? JSON.stringify(v) : String(v)}`).join(' · ');
  return String(value);
}

type Row = [string, ReactNode];

/** The rows every HMAC-style verdict has, in the order a person checks them. */
function knownRows(details: Details): Row[] {
  const rows: Row[] = [];
  const received = Array.isArray(details.received) ? details.received : [];
  const headers = [...new Set(received.filter(isRecord).map((r) => String(r.header)))];
  if (headers.length > 0) rows.push(['Signature header found', headers.join(', ')]);
  if (received.length > 0) rows.push(['Digest received', plain(received.map((r) => (isRecord(r) ? r.digest : r)))]);
  if (Array.isArray(details.computed)) {
    rows.push(['Digest expected', plain(details.computed.filter(isRecord).map((c) => `${String(c.digest)} (secret ${String(c.secret)})`))]);
  }
  if (Array.isArray(details.secrets)) rows.push(['Secret fingerprints', `${details.secrets.map(String).join(', ') || '—'} (first 8 hex of each secret's SHA-256)`]);
  if (details.matchedSecret) rows.push(['Matched secret', String(details.matchedSecret)]);
  if (details.timestamp !== undefined) rows.push(['Signed at', when(details.timestamp)]);
  if (details.ageSec !== undefined) rows.push(['Age at arrival', seconds(details.ageSec)]);
  if (details.toleranceSec !== undefined) rows.push(['Tolerance', Number(details.toleranceSec) === 0 ? 'off (any age accepted)' : `± ${seconds(details.toleranceSec)}`]);
  if (isRecord(details.diagnosis)) {
    const { cause, ...facts } = details.diagnosis;
    rows.push(['Diagnosis', <>{CAUSES[String(cause)] ?? String(cause)}{Object.keys(facts).length > 0 && <span className="muted"> ({plain(facts)})</span>}</>]);
  }
  return rows;
}

const KNOWN = new Set(['received', 'computed', 'secrets', 'matchedSecret', 'timestamp', 'ageSec', 'toleranceSec', 'diagnosis']);

/**
 * A verdict's details as a readable table: header found, digest received vs expected, secret
 * fingerprints, timestamp, age and tolerance, the doctor's diagnosis; then anything else the scheme
 * reported (JWT header and claims as JSON; several schemes one table each). Never holds a secret.
 */
export function SignatureFacts({ details, caption = 'Signature details' }: { details: Details; caption?: string }) {
  const nested = Object.entries(details).filter(([key, value]) => key.includes(':') || key === 'jwt' || key === 'header-token' ? isRecord(value) : false);
  const rows = knownRows(details);
  for (const [key, value] of Object.entries(details)) {
    if (KNOWN.has(key) || nested.some(([k]) => k === key)) continue;
    if (key === 'token' && isRecord(value)) {
      rows.push(['Token', <pre className="facts__json" key="token">{JSON.stringify(value, null, 2)}</pre>]);
      continue;
    }
    rows.push([label(key), plain(value)]);
  }
  return (
    <>
      {rows.length > 0 && (
        <table className="kv facts" aria-label={caption}>
          <tbody>
            {rows.map(([name, value]) => <tr key={name}><th scope="row">{name}</th><td>{value}</td></tr>)}
          </tbody>
        </table>
      )}
      {nested.map(([scheme, value]) => (
        <div key={scheme} className="facts__scheme">
          <h4>{scheme}</h4>
          <SignatureFacts details={value as Details} caption={`${scheme} details`} />
        </div>
      ))}
    </>
  );
}
