import type { AlertRule } from '../../../../../shared/alerts';
import type { EndpointView, UpdateEndpoint } from '../../../../../shared/endpoint';
import type { ResponseRule } from '../../../../../shared/rules';
import type { CatalogName } from '../../../../../shared/schema-config';
import { SECRET_MASK_PREFIX, type HmacConfig, type HmacPreset, type JwtConfig, type VerifyConfig } from '../../../../../shared/verify-config';
import { rateLimitDraft, rateLimitUpdate, type RateLimitDraft } from './rate-limit-draft';

export type Scheme = 'none' | 'hmac' | 'jwt' | 'headerToken';
type Mode = 'off' | 'observe' | 'enforce';

/** The settings form's state: strings as typed, turned into an update by `toUpdate`. */
export interface Draft extends RateLimitDraft {
  status: string;
  headers: Array<[string, string]>;
  /** null: the default `{"ok":true,"id":…}` body. */
  body: string | null;
  delayMs: string;
  maxCaptures: string;
  verifyMode: Mode;
  scheme: Scheme;
  preset: HmacPreset;
  /** Empty: keep the stored secret (its mask is shown as the placeholder). */
  secret: string;
  toleranceSec: string;
  customHeader: string;
  customAlgorithm: 'sha1' | 'sha256' | 'sha512';
  customEncoding: 'hex' | 'base64';
  customPrefix: string;
  customTemplate: string;
  customTimestampHeader: string;
  publicKey: string;
  jwtKeyType: 'secret' | 'pem' | 'jwk' | 'jwksUrl';
  jwtKey: string;
  jwtAlgorithms: string;
  jwtIssuer: string;
  jwtAudience: string;
  tokenHeader: string;
  schemaMode: Mode;
  catalog: CatalogName | 'custom' | 'none';
  jsonSchema: string;
  forwardEnabled: boolean;
  forwardUrl: string;
  forwardMode: 'async' | 'proxy';
  forwardTimeoutMs: string;
  forwardMaxAttempts: string;
  forwardAppendPath: boolean;
  /** Response rules and alerts, edited as the objects they are (the server validates them on save). */
  rules: ResponseRule[];
  alerts: AlertRule[];
}

export function isMask(value: string | undefined): boolean {
  return value !== undefined && value.startsWith(SECRET_MASK_PREFIX);
}

function schemeOf(verify: VerifyConfig): Scheme {
  if (verify.hmac) return 'hmac';
  if (verify.jwt) return 'jwt';
  if (verify.headerToken) return 'headerToken';
  return 'none';
}

/** The form for an endpoint as the API shows it (secrets masked). */
export function toDraft(endpoint: EndpointView): Draft {
  const { response, verify, schema } = endpoint;
  const hmac = verify.hmac;
  const jwt = verify.jwt;
  const token = Array.isArray(verify.headerToken) ? verify.headerToken[0] : verify.headerToken;
  const jwtKeyType = jwt?.key.type ?? 'secret';
  return {
    status: String(response.status),
    headers: Object.entries(response.headers),
    body: response.body ?? null,
    delayMs: String(response.delayMs),
    maxCaptures: String(endpoint.retention.maxCaptures),
    verifyMode: verify.mode,
    scheme: schemeOf(verify),
    preset: hmac?.preset ?? 'github',
    secret: '',
    toleranceSec: hmac?.toleranceSec === undefined ? '' : String(hmac.toleranceSec),
    customHeader: hmac?.header ?? '',
    customAlgorithm: hmac?.algorithm ?? 'sha256',
    customEncoding: hmac?.encoding ?? 'hex',
    customPrefix: hmac?.prefix ?? '',
    customTemplate: hmac?.template ?? '',
    customTimestampHeader: hmac?.timestampHeader ?? '',
    publicKey: hmac?.publicKey ?? '',
    jwtKeyType,
    jwtKey: !jwt || jwt.key.type === 'secret' ? '' : typeof jwt.key.value === 'string' ? jwt.key.value : JSON.stringify(jwt.key.value, null, 2),
    jwtAlgorithms: jwt?.algorithms?.join(', ') ?? '',
    jwtIssuer: jwt?.issuer ?? '',
    jwtAudience: jwt?.audience ?? '',
    tokenHeader: token?.header ?? '',
    schemaMode: schema.mode,
    catalog: schema.jsonSchema ? 'custom' : (schema.catalog ?? 'none'),
    jsonSchema: schema.jsonSchema ? JSON.stringify(schema.jsonSchema, null, 2) : '',
    forwardEnabled: endpoint.forward !== null,
    forwardUrl: endpoint.forward?.url ?? '',
    forwardMode: endpoint.forward?.mode ?? 'async',
    forwardTimeoutMs: endpoint.forward?.timeoutMs === undefined ? '' : String(endpoint.forward.timeoutMs),
    forwardMaxAttempts: endpoint.forward?.maxAttempts === undefined ? '' : String(endpoint.forward.maxAttempts),
    forwardAppendPath: endpoint.forward?.appendPath ?? true,
    rules: endpoint.rules ?? [],
    alerts: endpoint.alerts ?? [],
    ...rateLimitDraft(endpoint),
  };
}

/** The stored secret's mask for the current scheme, or undefined when none is stored. */
export function storedSecret(endpoint: EndpointView, scheme: Scheme): string | undefined {
  const { verify } = endpoint;
  if (scheme === 'hmac') return verify.hmac?.secret ?? verify.hmac?.secrets?.[0];
  if (scheme === 'jwt') return verify.jwt?.key.type === 'secret' ? verify.jwt.key.value : undefined;
  if (scheme === 'headerToken') return (Array.isArray(verify.headerToken) ? verify.headerToken[0] : verify.headerToken)?.value;
  return undefined;
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
const optionalInt = (value: string) => (value.trim() === '' ? undefined : Number(value));

function hmacOf(draft: Draft, previous: VerifyConfig): HmacConfig {
  const kept = previous.hmac;
  const secretFields = draft.secret
    ? { secret: draft.secret }
    : { secret: kept?.secret, secrets: kept?.secrets }; // masks sent back keep the stored values
  const custom = draft.preset === 'custom';
  return {
    // Fields the form does not show (a Twilio `url`, a custom `idHeader`) stay while the preset does.
    ...(kept && kept.preset === draft.preset ? kept : {}),
    ...secretFields,
    preset: draft.preset,
    toleranceSec: optionalInt(draft.toleranceSec),
    ...(custom && {
      header: optional(draft.customHeader), algorithm: draft.customAlgorithm, encoding: draft.customEncoding,
      prefix: optional(draft.customPrefix), template: optional(draft.customTemplate), timestampHeader: optional(draft.customTimestampHeader),
    }),
    ...(draft.preset === 'sendgrid' && { publicKey: optional(draft.publicKey) }),
  } as HmacConfig;
}

function jwtOf(draft: Draft, previous: VerifyConfig): JwtConfig {
  const keptSecret = previous.jwt?.key.type === 'secret' ? previous.jwt.key.value : undefined;
  const value = draft.jwtKeyType === 'secret' ? (draft.secret || keptSecret || '') : draft.jwtKeyType === 'jwk' ? jwkOf(draft.jwtKey) : draft.jwtKey.trim();
  const algorithms = draft.jwtAlgorithms.split(/[\s,]+/).filter(Boolean);
  return {
    ...previous.jwt,
    key: { type: draft.jwtKeyType, value },
    algorithms: algorithms.length > 0 ? algorithms : undefined,
    issuer: optional(draft.jwtIssuer),
    audience: optional(draft.jwtAudience),
  } as JwtConfig;
}

/** A JWK typed as JSON; an Error with a sentence when it is not a JSON object. */
function jwkOf(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the JWK is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('the JWK must be a JSON object');
  return value as Record<string, unknown>;
}

/** The form edits the first header token; the others (each one more required header) stay as stored. */
function headerTokensOf(draft: Draft, previous: VerifyConfig): VerifyConfig['headerToken'] {
  const kept = previous.headerToken === undefined ? [] : Array.isArray(previous.headerToken) ? previous.headerToken : [previous.headerToken];
  const first = { header: draft.tokenHeader.trim(), value: draft.secret || kept[0]?.value || '' };
  return kept.length > 1 ? [first, ...kept.slice(1)] : first;
}

function verifyOf(draft: Draft, endpoint: EndpointView): VerifyConfig {
  const previous = endpoint.verify;
  const handshake = previous.subscriptionHandshake && { subscriptionHandshake: previous.subscriptionHandshake };
  if (draft.scheme === 'none') return { mode: 'off', ...handshake };
  // While the scheme stays the one shown, what the form cannot show (a second scheme beside it) is kept.
  const base: VerifyConfig = draft.scheme === schemeOf(previous) ? { ...previous, mode: draft.verifyMode } : { mode: draft.verifyMode, ...handshake };
  if (draft.scheme === 'hmac') base.hmac = hmacOf(draft, previous);
  if (draft.scheme === 'jwt') base.jwt = jwtOf(draft, previous);
  if (draft.scheme === 'headerToken') base.headerToken = headerTokensOf(draft, previous);
  return base;
}

/** The PATCH body for a draft; throws an Error with a sentence when a field cannot be read. */
export function toUpdate(draft: Draft, endpoint: EndpointView): UpdateEndpoint {
  let jsonSchema: Record<string, unknown> | undefined;
  if (draft.catalog === 'custom') {
    try {
      jsonSchema = JSON.parse(draft.jsonSchema) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`the custom JSON Schema is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (jsonSchema === null || typeof jsonSchema !== 'object' || Array.isArray(jsonSchema)) throw new Error('the custom JSON Schema must be a JSON object');
  }
  const catalog = draft.catalog === 'custom' || draft.catalog === 'none' ? undefined : draft.catalog;
  return {
    response: {
      status: Number(draft.status),
      headers: Object.fromEntries(draft.headers.filter(([name]) => name.trim() !== '').map(([n, v]) => [n.trim(), v])),
      body: draft.body, // null: back to the default body
      delayMs: Number(draft.delayMs || 0),
    },
    retention: { maxCaptures: Number(draft.maxCaptures) },
    verify: verifyOf(draft, endpoint),
    schema: { mode: draft.schemaMode, ...(catalog && { catalog }), ...(jsonSchema && { jsonSchema }) },
    forward: draft.forwardEnabled ? {
      url: draft.forwardUrl.trim(),
      mode: draft.forwardMode,
      appendPath: draft.forwardAppendPath,
      ...(draft.forwardMode === 'proxy' && optionalInt(draft.forwardTimeoutMs) !== undefined && { timeoutMs: optionalInt(draft.forwardTimeoutMs) }),
      ...(draft.forwardMode === 'async' && optionalInt(draft.forwardMaxAttempts) !== undefined && { maxAttempts: optionalInt(draft.forwardMaxAttempts) }),
    } : null,
    rules: draft.rules,
    alerts: draft.alerts,
    rateLimit: rateLimitUpdate(draft),
  };
}
