import { z } from 'zod';

/** Secrets are write-only: the API answers with this mask instead of the value once saved. */
export const SECRET_MASK_PREFIX = '••••';

export const hmacPresetSchema = z.enum([
  'github', 'stripe', 'slack', 'shopify', 'standard-webhooks', 'twilio', 'meta', 'sendgrid', 'custom',
]);
export type HmacPreset = z.infer<typeof hmacPresetSchema>;

export const hmacAlgorithmSchema = z.enum(['sha1', 'sha256', 'sha512']);
export type HmacAlgorithm = z.infer<typeof hmacAlgorithmSchema>;

export const digestEncodingSchema = z.enum(['hex', 'base64']);
export type DigestEncoding = z.infer<typeof digestEncodingSchema>;

/**
 * Body signatures: an HMAC preset (or `custom`), or `sendgrid`'s ECDSA, which sits here because it
 * is configured the same way (a platform name and a key).
 */
export const hmacConfigSchema = z
  .object({
    preset: hmacPresetSchema,
    secret: z.string().min(1).optional(),
    /** Several secrets during a rotation: any one may match. */
    secrets: z.array(z.string().min(1)).max(10).optional(),
    /** Allowed clock skew for timestamped schemes, seconds, both directions; 0 disables the check. */
    toleranceSec: z.number().int().min(0).max(31_536_000).optional(),
    /** `custom`: the header carrying the signature. */
    header: z.string().min(1).max(200).optional(),
    /** `custom`: HMAC hash, default sha256. */
    algorithm: hmacAlgorithmSchema.optional(),
    /** `custom`: digest encoding, default hex. */
    encoding: digestEncodingSchema.optional(),
    /** `custom`: text before the digest in the header, e.g. `sha256=`. */
    prefix: z.string().max(100).optional(),
    /** `custom`: signed-payload template with `{body}`, `{timestamp}`, `{id}`, `{url}`; default `{body}`. */
    template: z.string().max(1000).optional(),
    /** `custom`: header holding the unix-seconds timestamp used by `{timestamp}` and the tolerance. */
    timestampHeader: z.string().max(200).optional(),
    /** `custom`: header holding the message id used by `{id}`. */
    idHeader: z.string().max(200).optional(),
    /** `sendgrid`: the verification key SendGrid shows (base64 DER SPKI, or PEM). Public, not masked. */
    publicKey: z.string().max(10_000).optional(),
    /**
     * `twilio` and custom `{url}`: the public URL the platform was given, when it differs from the URL
     * Hookscope sees (a proxy that does not send X-Forwarded-* headers).
     */
    url: z.url().optional(),
  })
  .superRefine((hmac, ctx) => {
    if (hmac.preset === 'sendgrid') {
      if (!hmac.publicKey) ctx.addIssue({ code: 'custom', path: ['publicKey'], message: 'sendgrid verifies with the public verification key SendGrid shows: set publicKey' });
    } else if (!hmac.secret && !(hmac.secrets && hmac.secrets.length > 0)) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: `the ${hmac.preset} preset needs a secret (or secrets)` });
    }
    if (hmac.preset === 'custom' && !hmac.header) {
      ctx.addIssue({ code: 'custom', path: ['header'], message: 'the custom preset needs the name of the signature header' });
    }
  });
export type HmacConfig = z.infer<typeof hmacConfigSchema>;

/** JWS algorithms Hookscope verifies; `none` is deliberately absent. */
export const jwsAlgorithmSchema = z.enum([
  'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
]);
export type JwsAlgorithm = z.infer<typeof jwsAlgorithmSchema>;

/** JWK members that only private or symmetric keys have. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/**
 * The key is typed, and its type decides which algorithms are possible: HS* only with a `secret`,
 * RS/PS/ES/EdDSA only with public keys. This is what stops HS256 tokens "signed" with a public
 * key (RFC 8725 §2.1, key confusion).
 */
export const jwtKeySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('secret'), value: z.string().min(1) }),
  /** SPKI public key or X.509 certificate, PEM armoured. */
  z.object({ type: z.literal('pem'), value: z.string().min(1).max(20_000) }),
  /** A public JWK (RSA, EC or OKP); private and `oct` keys are refused. */
  z.object({
    type: z.literal('jwk'),
    value: z.record(z.string(), z.unknown()).refine(
      (jwk) => jwk.kty !== 'oct' && !PRIVATE_JWK_MEMBERS.some((member) => member in jwk),
      'give the public JWK (kty RSA, EC or OKP without private members); use type "secret" for HS* keys',
    ),
  }),
  /** HTTPS (or local) URL of a JSON Web Key Set; cached, refetched once on an unknown `kid`. */
  z.object({ type: z.literal('jwksUrl'), value: z.url() }),
]);
export type JwtKey = z.infer<typeof jwtKeySchema>;

export const jwtConfigSchema = z
  .object({
    key: jwtKeySchema,
    /** Allow-list; by default every algorithm the key type permits. */
    algorithms: z.array(jwsAlgorithmSchema).min(1).optional(),
    /** Header carrying the token; default `Authorization` with a `Bearer ` prefix. */
    header: z.string().min(1).max(200).optional(),
    issuer: z.string().optional(),
    audience: z.string().optional(),
    /** Skew allowed on exp / nbf / iat, seconds; default 30. */
    clockToleranceSec: z.number().int().min(0).max(86_400).optional(),
    /** `exp` must be present (default true): a token without it would be valid forever. */
    requireExp: z.boolean().optional(),
    /** Reject tokens whose `iat` is older than this, seconds (Plaid: 300). */
    maxAgeSec: z.number().int().min(1).max(31_536_000).optional(),
    /** Claim that must equal the hex SHA-256 of the raw body (Plaid's `request_body_sha256`). */
    bodyHashClaim: z.string().min(1).max(100).optional(),
  })
  .superRefine((jwt, ctx) => {
    const symmetric = jwt.key.type === 'secret';
    const wrong = (jwt.algorithms ?? []).filter((alg) => alg.startsWith('HS') !== symmetric);
    if (wrong.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['algorithms'],
        message: symmetric
          ? `${wrong.join(', ')} need a public key (key type pem, jwk or jwksUrl), not a secret`
          : `${wrong.join(', ')} need a shared secret (key type secret); with a ${jwt.key.type} key that would allow key confusion`,
      });
    }
  });
export type JwtConfig = z.infer<typeof jwtConfigSchema>;

/** A static header the platform sends with every delivery (Treble, Braze, AJO "Header Parameters"). */
export const headerTokenSchema = z.object({
  header: z.string().min(1).max(200),
  value: z.string().min(1),
});
export type HeaderToken = z.infer<typeof headerTokenSchema>;

export const verifyConfigSchema = z.object({
  /** `observe` records the verdict; `enforce` also answers 401 to anything not valid. */
  mode: z.enum(['off', 'observe', 'enforce']).default('off'),
  hmac: hmacConfigSchema.optional(),
  jwt: jwtConfigSchema.optional(),
  /**
   * One or several header tokens. Entries naming the same header are alternatives (rotation);
   * entries naming different headers are all required.
   */
  headerToken: z.union([headerTokenSchema, z.array(headerTokenSchema).max(20)]).optional(),
  /** Answer `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` with the challenge. */
  subscriptionHandshake: z.object({ verifyToken: z.string().min(1) }).optional(),
});
export type VerifyConfig = z.infer<typeof verifyConfigSchema>;
