import { describe, expect, it } from 'vitest';
import { responseRuleSchema, responseRulesSchema, type ResponseRule } from '../../../shared/rules';
import { decideRules, firstAttemptsAsked, globMatches, mismatchOf, type RuleRequest } from '../../../server/ingest/response-rules';

const request = (over: Partial<RuleRequest> = {}): RuleRequest => ({
  method: 'POST', path: '/orders/17', eventType: 'message.read', headers: [['X-Shop', 'acme'], ['Content-Type', 'application/json']],
  body: Buffer.from('{"id":17,"note":"gift"}'), ...over,
});
const rules = (input: unknown[]): ResponseRule[] => responseRulesSchema.parse(input);
const env = (previousAttempts = 0, random = () => 0.5) => ({ previousAttempts, random });

describe('globs', () => {
  it('path: * stays within a segment, ** crosses, ? is one character, the rest is literal', () => {
    expect(globMatches('/orders/*', '/orders/17', true)).toBe(true);
    expect(globMatches('/orders/*', '/orders/17/items', true)).toBe(false);
    expect(globMatches('/orders/**', '/orders/17/items', true)).toBe(true);
    expect(globMatches('/v?/x', '/v1/x', true)).toBe(true);
    expect(globMatches('/a.b', '/aXb', true)).toBe(false);
    expect(globMatches('/(x)+', '/(x)+', true)).toBe(true);
  });
  it('answers patterns that make a backtracking RegExp take forever (text × pattern time)', () => {
    const text = 'a'.repeat(8000);
    expect(globMatches('*a*a*a*a*a*a*a*a*a*b', text, false)).toBe(false);
    expect(globMatches('**a**a**a**a**b', `/${text}`, true)).toBe(false);
    expect(globMatches('*a*a*a*a*a*a*a*a*a*a', text, false)).toBe(true);
  });
  it('? does not cross / in a path, and an empty glob run matches nothing more', () => {
    expect(globMatches('/a?b', '/a/b', true)).toBe(false);
    expect(globMatches('/a?b', '/a/b', false)).toBe(true);
    expect(globMatches('*', '', true)).toBe(true);
    expect(globMatches('/x/*', '/x/', true)).toBe(true);
    expect(globMatches('/x/*', '/x', true)).toBe(false);
  });
  it('event types: * crosses dots', () => {
    expect(globMatches('message.*', 'message.read', false)).toBe(true);
    expect(globMatches('message.*', 'messages.read', false)).toBe(false);
    expect(globMatches('*.paid', 'invoice.payment.paid', false)).toBe(true);
  });
});

describe('matching', () => {
  it('every condition given must hold, and an empty match holds for everything', () => {
    expect(mismatchOf({}, request())).toBeNull();
    expect(mismatchOf({ method: 'post', path: '/orders/*', eventType: 'message.*', header: { name: 'x-shop', value: 'ac*' }, bodyContains: 'gift' }, request())).toBeNull();
    expect(mismatchOf({ method: 'GET' }, request())).toMatch(/method is POST/);
    expect(mismatchOf({ eventType: 'message.*' }, request({ eventType: null }))).toMatch(/event type \(none\)/);
    expect(mismatchOf({ header: { name: 'X-Missing' } }, request())).toMatch(/no X-Missing header/);
    expect(mismatchOf({ header: { name: 'X-Shop', value: 'other' } }, request())).toMatch(/does not match other/);
    expect(mismatchOf({ bodyContains: 'refund' }, request())).toMatch(/does not contain/);
  });
  it('a repeated header matches when any of its values does', () => {
    expect(mismatchOf({ header: { name: 'x-tag', value: 'b' } }, request({ headers: [['X-Tag', 'a'], ['x-tag', 'b']] }))).toBeNull();
  });
});

describe('deciding', () => {
  const set = rules([
    { name: 'orders', match: { path: '/orders/*' }, response: { status: 201, body: '{"created":true}' } },
    { match: { eventType: 'message.*' }, fail: { firstAttempts: 2, status: 503 } },
  ]);

  it('first match wins', () => {
    const { answer, steps } = decideRules(set, request(), env());
    expect(answer).toEqual({ kind: 'response', rule: { index: 0, name: 'orders', action: 'response' }, response: { status: 201, body: '{"created":true}' } });
    expect(steps).toHaveLength(1);
  });

  it('firstAttempts fails the first N deliveries of an id, then falls through to the endpoint', () => {
    const other = request({ path: '/messages' });
    expect(decideRules(set, other, env(0)).answer).toMatchObject({ kind: 'fail', status: 503, rule: { index: 1, attempt: 1, action: 'fail' } });
    expect(decideRules(set, other, env(1)).answer).toMatchObject({ kind: 'fail', rule: { attempt: 2 } });
    const third = decideRules(set, other, env(2));
    expect(third.answer).toEqual({ kind: 'endpoint' });
    expect(third.steps.map((s) => s.note)).toEqual([expect.stringMatching(/path/), 'attempt 3 is past the first 2: falls through']);
  });

  it('falls through to the next rule, not only to the endpoint', () => {
    const chain = rules([{ fail: { firstAttempts: 1 } }, { response: { status: 202 } }]);
    expect(decideRules(chain, request(), env(1)).answer).toMatchObject({ kind: 'response', rule: { index: 1 } });
    expect(decideRules(chain, request(), env(0)).answer).toMatchObject({ kind: 'fail', status: 503 });
  });

  it('rate fails the share the random draw says', () => {
    const flaky = rules([{ fail: { rate: 0.3, status: 500 } }]);
    expect(decideRules(flaky, request(), env(0, () => 0.29)).answer).toMatchObject({ kind: 'fail', status: 500 });
    expect(decideRules(flaky, request(), env(0, () => 0.3)).answer).toEqual({ kind: 'endpoint' });
    expect(decideRules(rules([{ fail: { rate: 0 } }]), request(), env(0, () => 0)).answer).toEqual({ kind: 'endpoint' });
  });

  it('drop and timeoutMs answer nothing', () => {
    expect(decideRules(rules([{ fail: { drop: true } }]), request(), env()).answer).toMatchObject({ kind: 'drop', rule: { action: 'drop' } });
    expect(decideRules(rules([{ fail: { timeoutMs: 5000, firstAttempts: 1 } }]), request(), env()).answer)
      .toMatchObject({ kind: 'timeout', timeoutMs: 5000, rule: { action: 'timeout', attempt: 1 } });
  });

  it('counts earlier deliveries only when a matching rule asks for it', () => {
    expect(firstAttemptsAsked(set, request({ path: '/x' }))).toBe(2);
    expect(firstAttemptsAsked(set, request({ path: '/x', eventType: 'push' }))).toBe(0);
    expect(firstAttemptsAsked([], request())).toBe(0);
  });
});

describe('the rule schema', () => {
  it('refuses a rule with both or neither action, and contradictory failures', () => {
    expect(responseRuleSchema.safeParse({ match: {} }).success).toBe(false);
    expect(responseRuleSchema.safeParse({ response: {}, fail: {} }).success).toBe(false);
    expect(responseRuleSchema.safeParse({ fail: { drop: true, status: 500 } }).success).toBe(false);
    expect(responseRuleSchema.safeParse({ fail: { firstAttempts: 2, rate: 0.5 } }).success).toBe(false);
    expect(responseRuleSchema.safeParse({ fail: { rate: 1.5 } }).success).toBe(false);
    expect(responseRuleSchema.safeParse({ match: { colour: 'red' }, response: {} }).success).toBe(false);
    expect(responseRuleSchema.parse({ fail: { firstAttempts: 3 } })).toEqual({ match: {}, fail: { firstAttempts: 3 } });
  });
});
