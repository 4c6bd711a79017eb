import { z } from 'zod';

export const DEFAULT_PROXY_TIMEOUT_MS = 8000;
export const DEFAULT_FORWARD_ATTEMPTS = 5;

/** Forward rule of an endpoint: every accepted delivery also goes to `url`. */
export const forwardConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** `async`: after the delivery is stored, retried with backoff; `proxy`: the target's answer becomes the reply. */
  mode: z.enum(['async', 'proxy']).default('async'),
  /** Proxy mode: how long to wait for the target before the configured response is sent, ms (default 8000). */
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  /** Async mode: attempts before giving up (default 5). */
  maxAttempts: z.number().int().min(1).max(20).optional(),
  /** Append the delivery's sub-path and query to `url` (default true). */
  appendPath: z.boolean().optional(),
  /**
   * Set by the server when the rule is created or its url/mode changes, ms since epoch: deliveries
   * received since then are forwarded, and those still unsettled are picked up again after a restart.
   */
  since: z.number().int().optional(),
});
export type ForwardConfig = z.infer<typeof forwardConfigSchema>;
