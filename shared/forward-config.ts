import { z } from 'zod';

export const forwardConfigSchema = z.object({
  url: z.url(),
  mode: z.enum(['async', 'proxy']).default('async'),
  /** Proxy mode: how long to wait for the target before the configured response is sent, ms. */
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  /** Async mode: attempts before giving up. */
  maxAttempts: z.number().int().min(1).max(20).optional(),
});
export type ForwardConfig = z.infer<typeof forwardConfigSchema>;
