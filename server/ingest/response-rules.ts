import type { HeaderPairs } from '../../shared/capture';
import type { CapturedRule, ResponseRule, RuleMatch, RuleResponse } from '../../shared/rules';

/**
 * Response rules, decided without I/O: which rule answers a delivery, and how. Ingest (and the
 * rules preview) hand in what they know of the delivery and how many deliveries with the same
 * delivery id came before; nothing here reads the store, the clock or the network.
 */

/** What a rule looks at. */
export interface RuleRequest {
  method: string;
  /** Sub-path after `/h/<endpoint id>`. */
  path: string;
  eventType: string | null;
  headers: HeaderPairs;
  body: Buffer;
}

export interface RuleEnv {
  /** Deliveries with the same delivery id stored before this one (capped at the largest `firstAttempts` asked). */
  previousAttempts: number;
  /** [0, 1), for `rate`. */
  random: () => number;
}

/** How the delivery is answered. `endpoint`: no rule answered; the endpoint's own response applies. */
export type RuleAnswer =
  | { kind: 'endpoint' }
  | { kind: 'response'; rule: CapturedRule; response: RuleResponse }
  | { kind: 'fail'; rule: CapturedRule; status: number }
  | { kind: 'drop'; rule: CapturedRule }
  | { kind: 'timeout'; rule: CapturedRule; timeoutMs: number };

/** One rule looked at, and why it did or did not answer (the preview shows these). */
export interface RuleStep {
  index: number;
  matched: boolean;
  note: string;
}

export const DEFAULT_FAIL_STATUS = 503;

const globCache = new Map<string, RegExp>();

/** `*` any run (without `/` when `segments`), `**` any run at all, `?` one character; the rest literal. */
export function globRegExp(glob: string, segments: boolean): RegExp {
  const key = `${segments ? 's' : 'a'}${glob}`;
  let re = globCache.get(key);
  if (!re) {
    let source = '';
    for (let i = 0; i < glob.length; i += 1) {
      const c = glob[i] as string;
      if (c === '*' && glob[i + 1] === '*') {
        source += '.*';
        i += 1;
      } else if (c === '*') source += segments ? '[^/]*' : '.*';
      else if (c === '?') source += segments ? '[^/]' : '.';
      else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    re = new RegExp(`^${source}$`, 's');
    if (globCache.size > 1000) globCache.clear(); // patterns come from endpoint configs: few, but unbounded over time
    globCache.set(key, re);
  }
  return re;
}

/** Null when every condition of `match` holds, else what did not. */
export function mismatchOf(match: RuleMatch, request: RuleRequest): string | null {
  if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return `method is ${request.method}, not ${match.method.toUpperCase()}`;
  if (match.path !== undefined && !globRegExp(match.path, true).test(request.path)) return `path ${request.path || '(none)'} does not match ${match.path}`;
  if (match.eventType !== undefined && (request.eventType === null || !globRegExp(match.eventType, false).test(request.eventType))) {
    return `event type ${request.eventType ?? '(none)'} does not match ${match.eventType}`;
  }
  if (match.header !== undefined) {
    const wanted = match.header.name.toLowerCase();
    const values = request.headers.filter(([name]) => name.toLowerCase() === wanted).map(([, value]) => value);
    if (values.length === 0) return `no ${match.header.name} header`;
    const pattern = match.header.value;
    if (pattern !== undefined && !values.some((v) => globRegExp(pattern, false).test(v))) return `${match.header.name} does not match ${pattern}`;
  }
  if (match.bodyContains !== undefined && !request.body.includes(match.bodyContains)) return `body does not contain ${JSON.stringify(match.bodyContains)}`;
  return null;
}

/** True when a rule that applies to this request counts earlier deliveries (`firstAttempts`). */
export function firstAttemptsAsked(rules: readonly ResponseRule[], request: RuleRequest): number {
  let most = 0;
  for (const rule of rules) {
    const n = rule.fail?.firstAttempts;
    if (n !== undefined && n > most && mismatchOf(rule.match, request) === null) most = n;
  }
  return most;
}

/** The first rule that applies and, for a failure, fires: rules in order, first match wins. */
export function decideRules(rules: readonly ResponseRule[], request: RuleRequest, env: RuleEnv): { answer: RuleAnswer; steps: RuleStep[] } {
  const steps: RuleStep[] = [];
  for (const [index, rule] of rules.entries()) {
    const mismatch = mismatchOf(rule.match, request);
    if (mismatch !== null) {
      steps.push({ index, matched: false, note: mismatch });
      continue;
    }
    const summary = { index, ...(rule.name && { name: rule.name }) };
    if (rule.response) {
      steps.push({ index, matched: true, note: 'answers with its response' });
      return { answer: { kind: 'response', rule: { ...summary, action: 'response' }, response: rule.response }, steps };
    }
    const fail = rule.fail;
    if (!fail) continue;
    const attempt = env.previousAttempts + 1;
    if (fail.firstAttempts !== undefined && attempt > fail.firstAttempts) {
      steps.push({ index, matched: true, note: `attempt ${attempt} is past the first ${fail.firstAttempts}: falls through` });
      continue;
    }
    if (fail.rate !== undefined && !(env.random() < fail.rate)) {
      steps.push({ index, matched: true, note: `the ${Math.round(fail.rate * 100)}% draw did not fail this one: falls through` });
      continue;
    }
    const captured = { ...summary, ...(fail.firstAttempts !== undefined && { attempt }) };
    const answer: RuleAnswer = fail.drop
      ? { kind: 'drop', rule: { ...captured, action: 'drop' } }
      : fail.timeoutMs !== undefined
        ? { kind: 'timeout', rule: { ...captured, action: 'timeout' }, timeoutMs: fail.timeoutMs }
        : { kind: 'fail', rule: { ...captured, action: 'fail' }, status: fail.status ?? DEFAULT_FAIL_STATUS };
    steps.push({ index, matched: true, note: describeAnswer(answer, fail.firstAttempts) });
    return { answer, steps };
  }
  return { answer: { kind: 'endpoint' }, steps };
}

/** One line for a decision: "fails with 503 (attempt 1 of 2)", "closes the connection without an answer". */
export function describeAnswer(answer: RuleAnswer, firstAttempts?: number): string {
  const attempt = answer.kind !== 'endpoint' && answer.rule.attempt !== undefined ? ` (attempt ${answer.rule.attempt}${firstAttempts ? ` of the first ${firstAttempts}` : ''})` : '';
  switch (answer.kind) {
    case 'endpoint':
      return 'no rule answers: the endpoint’s response';
    case 'response':
      return 'answers with its response';
    case 'fail':
      return `fails with ${answer.status}${attempt}`;
    case 'drop':
      return `closes the connection without an answer${attempt}`;
    case 'timeout':
      return `answers nothing for ${answer.timeoutMs} ms, then closes the connection${attempt}`;
  }
}
