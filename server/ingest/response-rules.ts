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
/** `bodyContains` looks in this much of the body: 50 rules cannot make ingest scan 50 × 10 MiB. */
export const BODY_SEARCH_BYTES = 1024 * 1024; // bytes

/** A glob compiled to tokens: a literal character, `?` (one character), `*` or `**`. */
type GlobToken = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'star'; crossesSlash: boolean };

const globCache = new Map<string, GlobToken[]>();

function compileGlob(glob: string, segments: boolean): GlobToken[] {
  const key = `${segments ? 's' : 'a'}${glob}`;
  let tokens = globCache.get(key);
  if (!tokens) {
    tokens = [];
    for (let i = 0; i < glob.length; i += 1) {
      const c = glob[i] as string;
      if (c === '*') {
        const crossesSlash = !segments || glob[i + 1] === '*';
        if (glob[i + 1] === '*') i += 1;
        const last = tokens[tokens.length - 1];
        if (last?.kind === 'star') last.crossesSlash ||= crossesSlash; // `***` is `**`
        else tokens.push({ kind: 'star', crossesSlash });
      } else tokens.push(c === '?' ? { kind: 'one' } : { kind: 'char', char: c });
    }
    if (globCache.size > 1000) globCache.clear(); // patterns come from endpoint configs: few, but unbounded over time
    globCache.set(key, tokens);
  }
  return tokens;
}

/**
 * Whether `text` matches `glob`: `*` any run (without `/` when `segments`), `**` any run at all,
 * `?` one character (not `/` when `segments`), the rest literal. Simulated as a set of glob
 * positions, so the time is at most text × glob length whatever the pattern — a delivery's
 * path or header value cannot make a rule slow (a backtracking RegExp could be).
 */
export function globMatches(glob: string, text: string, segments: boolean): boolean {
  const tokens = compileGlob(glob, segments);
  const n = tokens.length;
  const close = (set: Uint8Array) => {
    for (let i = 0; i < n; i += 1) if (set[i] && tokens[i]?.kind === 'star') set[i + 1] = 1; // a star may match nothing
    return set;
  };
  let states = close(Uint8Array.of(1, ...new Array<number>(n).fill(0)));
  for (const ch of text) {
    const next = new Uint8Array(n + 1);
    const slashOk = !segments || ch !== '/';
    let alive = false;
    for (let i = 0; i < n; i += 1) {
      if (!states[i]) continue;
      const token = tokens[i] as GlobToken;
      if (token.kind === 'star' ? token.crossesSlash || slashOk : token.kind === 'one' ? slashOk : token.char === ch) {
        next[token.kind === 'star' ? i : i + 1] = 1;
        alive = true;
      }
    }
    if (!alive) return false;
    states = close(next);
  }
  return states[n] === 1;
}

/** Null when every condition of `match` holds, else what did not. */
export function mismatchOf(match: RuleMatch, request: RuleRequest): string | null {
  if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return `method is ${request.method}, not ${match.method.toUpperCase()}`;
  if (match.path !== undefined && !globMatches(match.path, request.path, true)) return `path ${request.path || '(none)'} does not match ${match.path}`;
  if (match.eventType !== undefined && (request.eventType === null || !globMatches(match.eventType, request.eventType, false))) {
    return `event type ${request.eventType ?? '(none)'} does not match ${match.eventType}`;
  }
  if (match.header !== undefined) {
    const wanted = match.header.name.toLowerCase();
    const values = request.headers.filter(([name]) => name.toLowerCase() === wanted).map(([, value]) => value);
    if (values.length === 0) return `no ${match.header.name} header`;
    const pattern = match.header.value;
    if (pattern !== undefined && !values.some((v) => globMatches(pattern, v, false))) return `${match.header.name} does not match ${pattern}`;
  }
  if (match.bodyContains !== undefined && !request.body.subarray(0, BODY_SEARCH_BYTES).includes(match.bodyContains)) {
    return `body does not contain ${JSON.stringify(match.bodyContains)}`;
  }
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
