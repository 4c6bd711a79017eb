import { z } from 'zod';

/** Secrets are write-only: the API answers with this mask instead of the value once saved. */
export const SECRET_MASK_PREFIX = '••••';

export const hmacPresetSchema = z.enum([
  'github', 'stripe', 'slack', 'shopify', 'standard-webhooks', 'twilio', 'meta', 'sendgrid', 'custom',
]);
export type HmacPreset = z.infer<typeof hmacPresetSchema>;

export const hmacConfigSchema = z.object({
  preset: hmacPresetSchema,
  secret: z.string().min(1).optional(),
  /** Several secrets during a rotation: any one may match. */
  secrets: z.array(z.string().min(1)).max(10).optional(),
  /** Allowed clock skew for timestamped schemes, seconds; 0 disables the check. */
  toleranceSec: z.number().int().min(0).max(31_536_000).optional(),
  /** `custom` preset only. */
  header: z.string().min(1).max(200).optional(),
  algorithm: z.enum(['sha1', 'sha256', 'sha512']).optional(),
  encoding: z.enum(['hex', 'base64']).optional(),
  prefix: z.string().max(100).optional(),
  /** Signed-payload template with `{body}`, `{timestamp}`, `{id}`, `{url}`. */
  template: z.string().max(1000).optional(),
  timestampHeader: z.string().max(200).optional(),
  idHeader: z.string().max(200).optional(),
  /** `sendgrid`: the public key (base64 DER SPKI or PEM). */
  publicKey: z.string().optional(),
});
export type HmacConfig = z.infer<typeof hmacConfigSchema>;

export const jwtKeySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('secret'), value: z.string().min(1) }),
  z.object({ type: z.literal('pem'), value: z.string().min(1) }),
  z.object({ type: z.literal('jwk'), value: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('jwksUrl'), value: z.url() }),
]);
export type JwtKey = z.infer<typeof jwtKeySchema>;

export const jwtConfigSchema = z.object({
  key: jwtKeySchema,
  algorithms: z.array(z.string()).min(1).optional(),
  /** Header carrying the token; default `Authorization` with a `Bearer ` prefix. */
  header: z.string().min(1).max(200).optional(),
  issuer: z.string().optional(),
  audience: z.string().optional(),
  clockToleranceSec: z.number().int().min(0).max(86_400).optional(),
  requireExp: z.boolean().optional(),
  /** Claim that must equal the hex SHA-256 of the raw body (Plaid's `request_body_sha256`). */
  bodyHashClaim: z.string().optional(),
});
export type JwtConfig = z.infer<typeof jwtConfigSchema>;

export const headerTokenSchema = z.object({
  header: z.string().min(1).max(200),
  value: z.string().min(1),
});
export type HeaderToken = z.infer<typeof headerTokenSchema>;

export const verifyConfigSchema = z.object({
  mode: z.enum(['off', 'observe', 'enforce']).default('off'),
  hmac: hmacConfigSchema.optional(),
  jwt: jwtConfigSchema.optional(),
  headerToken: z.union([headerTokenSchema, z.array(headerTokenSchema).max(20)]).optional(),
  /** Answer `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` with the challenge. */
  subscriptionHandshake: z.object({ verifyToken: z.string().min(1) }).optional(),
});
export type VerifyConfig = z.infer<typeof verifyConfigSchema>;
