import { z } from 'zod';

export const MAX_RULES = 50;
export const MAX_FIRST_ATTEMPTS = 100;
export const MAX_FAIL_TIMEOUT_MS = 120_000; // ms a `timeoutMs` failure may hold a connection
const MAX_DELAY_MS = 30_000; // ms, the same bound as the endpoint's own response delay

const glob = z.string().min(1).max(500);

/**
 * What a delivery must look like for a rule to apply; every condition given must hold (an empty
 * match applies to every delivery). Globs: `*` is any run of characters (in `path`, any run
 * without `/`), `**` in `path` crosses `/`, `?` one character.
 */
export const ruleMatchSchema = z.strictObject({
  /** HTTP method, any case. */
  method: z.string().trim().min(1).max(20).optional(),
  /** Glob on the sub-path after `/h/<endpoint id>` (`/orders/*`, `/github/**`). */
  path: glob.optional(),
  /** Glob on the capture's event type (`message.*`, `push`). */
  eventType: glob.optional(),
  /** A header is present (name in any case), and when `value` is given its value matches that glob. */
  header: z.strictObject({ name: z.string().trim().min(1).max(200), value: z.string().max(2000).optional() }).optional(),
  /** The body bytes contain this text (UTF-8), within the first MiB. */
  bodyContains: z.string().min(1).max(10_000).optional(),
});
export type RuleMatch = z.infer<typeof ruleMatchSchema>;

/** A rule's own answer; fields it leaves out come from the endpoint's `response`. */
export const ruleResponseSchema = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  headers: z.record(z.string().min(1).max(200), z.string().max(8192)).optional(),
  body: z.string().max(1_048_576).optional(),
  delayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(), // ms
});
export type RuleResponse = z.infer<typeof ruleResponseSchema>;

/**
 * An injected failure. How: answer `status` (503 when nothing else is said), or `drop: true`
 * (close the connection without an answer), or `timeoutMs` (answer nothing for that long, then
 * close). When: always, or on the first `firstAttempts` deliveries of one delivery id, or on a
 * random `rate` share; when it does not fail, the next rules and then the endpoint's response apply.
 */
export const ruleFailSchema = z
  .strictObject({
    status: z.number().int().min(100).max(599).optional(),
    drop: z.literal(true).optional(),
    timeoutMs: z.number().int().min(1).max(MAX_FAIL_TIMEOUT_MS).optional(), // ms
    firstAttempts: z.number().int().min(1).max(MAX_FIRST_ATTEMPTS).optional(),
    rate: z.number().min(0).max(1).optional(),
  })
  .refine((f) => [f.status, f.drop, f.timeoutMs].filter((v) => v !== undefined).length <= 1, {
    message: 'give one of status, drop or timeoutMs',
  })
  .refine((f) => f.firstAttempts === undefined || f.rate === undefined, { message: 'give firstAttempts or rate, not both' });
export type RuleFail = z.infer<typeof ruleFailSchema>;

/** One response rule: the first whose `match` holds (and whose failure, if any, fires) answers. */
export const responseRuleSchema = z
  .strictObject({
    /** Shown in the inspector and recorded on the captures it answers. */
    name: z.string().trim().max(100).optional(),
    match: ruleMatchSchema.default({}),
    response: ruleResponseSchema.optional(),
    fail: ruleFailSchema.optional(),
  })
  .refine((r) => (r.response === undefined) !== (r.fail === undefined), { message: 'a rule has either response or fail' });
export type ResponseRule = z.infer<typeof responseRuleSchema>;

export const responseRulesSchema = z.array(responseRuleSchema).max(MAX_RULES);

/** What each capture records about the rule that answered it (null: no rule did). */
export const capturedRuleSchema = z.object({
  /** Position of the rule in the endpoint's `rules` when it answered. */
  index: z.number().int(),
  name: z.string().optional(),
  /** `response`: the rule's answer; `fail`: an injected status; `drop` / `timeout`: no answer. */
  action: z.enum(['response', 'fail', 'drop', 'timeout']),
  /** With `firstAttempts`: which delivery of this delivery id it was (1 = the first). */
  attempt: z.number().int().optional(),
});
export type CapturedRule = z.infer<typeof capturedRuleSchema>;

/** `POST /api/endpoints/:id/rules/preview`: a sample request, evaluated and stored nowhere. */
export const rulePreviewRequestSchema = z.strictObject({
  /** Rules to try (the editor's draft); absent: the endpoint's saved rules. */
  rules: responseRulesSchema.optional(),
  request: z.strictObject({
    method: z.string().trim().min(1).max(20).default('POST'),
    /** Sub-path, `''` or starting with `/`. */
    path: z.string().max(2000).default(''),
    headers: z.array(z.tuple([z.string(), z.string()])).max(200).default([]), // as they would arrive, in order
    body: z.string().max(1_048_576).default(''),
  }),
  /** Deliveries with the same delivery id already received (for `firstAttempts`). */
  previousAttempts: z.number().int().min(0).max(10_000).default(0),
});
export type RulePreviewRequest = z.input<typeof rulePreviewRequestSchema>;

export const rulePreviewSchema = z.object({
  /** What ingest would compute for the sample. */
  eventType: z.string().nullable(),
  deliveryId: z.string().nullable(),
  /** The rules looked at, in order, until one answered. */
  trace: z.array(z.object({ index: z.number().int(), matched: z.boolean(), note: z.string() })),
  answer: z.object({
    /** Null: the endpoint's own response. */
    rule: capturedRuleSchema.nullable(),
    /** Absent for `drop` / `timeout`. */
    status: z.number().int().optional(),
    delayMs: z.number().int().optional(), // ms
    timeoutMs: z.number().int().optional(), // ms
    note: z.string(),
  }),
});
export type RulePreview = z.infer<typeof rulePreviewSchema>;
