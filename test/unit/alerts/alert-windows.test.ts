import { describe, expect, it } from 'vitest';
import { alertRuleSchema, type AlertRule } from '../../../shared/alerts';
import type { CaptureSummary } from '../../../shared/capture';
import { SKIPPED_SCHEMA, SKIPPED_SIGNATURE } from '../../../shared/verdicts';
import { alertMessage, spanText } from '../../../server/alerts/alert-message';
import { alertKey, counts, silenceFiring, windowStartOf, WindowCounter } from '../../../server/alerts/alert-windows';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const alert = (over: Partial<AlertRule> = {}): AlertRule => alertRuleSchema.parse({ on: 'signature-invalid', threshold: 2, windowSec: 60, url: 'https://hooks.slack.com/x', ...over });
let n = 0;
const capture = (receivedAt: number, over: Partial<CaptureSummary> = {}): CaptureSummary => ({
  id: `c${++n}`, endpointId: 'ep', receivedAt, method: 'POST', path: '', query: '', peer: '', size: 0, contentType: null,
  reply: { status: 200 }, verdicts: { signature: { ...SKIPPED_SIGNATURE, status: 'invalid' }, schema: SKIPPED_SCHEMA },
  deliveryId: null, duplicateOf: null, eventType: null, rule: null, ...over,
});

describe('alert windows', () => {
  it('windows are aligned to the clock', () => {
    expect(windowStartOf(T0 + 59_999, 60)).toBe(T0);
    expect(windowStartOf(T0 + 60_000, 60)).toBe(T0 + 60_000);
  });

  it('what each kind counts', () => {
    const valid = { signature: { ...SKIPPED_SIGNATURE, status: 'valid' as const }, schema: { ...SKIPPED_SCHEMA, status: 'invalid' as const } };
    expect(counts('signature-invalid', capture(T0))).toBe(true);
    expect(counts('signature-invalid', capture(T0, { verdicts: valid }))).toBe(false);
    expect(counts('signature-invalid', capture(T0, { verdicts: { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA } }))).toBe(false);
    expect(counts('schema-invalid', capture(T0, { verdicts: valid }))).toBe(true);
    expect(counts('rejected', capture(T0, { reply: { status: 413, rejected: 'too big' } }))).toBe(true);
    expect(counts('rejected', capture(T0))).toBe(false);
  });

  it('reports a window once, when it reaches its threshold; a new window counts afresh', () => {
    const counter = new WindowCounter();
    const alerts = [alert()];
    expect(counter.add(alerts, capture(T0))).toEqual([]);
    const [firing] = counter.add(alerts, capture(T0 + 10_000));
    expect(firing).toMatchObject({ endpointId: 'ep', index: 0, windowStart: T0, count: 2, key: alertKey(alerts[0]!) });
    expect(firing?.captureIds).toHaveLength(2);
    expect(counter.add(alerts, capture(T0 + 20_000))).toEqual([]);
    expect(counter.add(alerts, capture(T0 + 60_000))).toEqual([]);
    expect(counter.add(alerts, capture(T0 + 61_000))).toHaveLength(1);
    counter.prune(T0 + 10 * 60_000);
    expect(counter.size).toBe(0);
  });

  it('silence fires once its window has passed since the last delivery', () => {
    const quiet = alert({ on: 'silence', windowSec: 600 });
    expect(silenceFiring('ep', quiet, 0, T0, T0 + 599_999)).toBeNull();
    expect(silenceFiring('ep', quiet, 0, T0, T0 + 600_000)).toMatchObject({ windowStart: T0, count: 0, captureIds: [] });
    expect(silenceFiring('ep', alert(), 0, T0, T0 + 10 * 600_000)).toBeNull();
  });

  it('the key follows the settings, not the position', () => {
    expect(alertKey(alert())).toBe(alertKey(alert()));
    expect(alertKey(alert())).not.toBe(alertKey(alert({ threshold: 3 })));
  });
});

describe('alert messages', () => {
  it('a Slack-compatible text with the facts beside it', () => {
    const message = alertMessage({ endpointId: 'ep', alert: alert({ on: 'rejected', windowSec: 3600 }), index: 0, key: 'k', windowStart: T0, count: 1, captureIds: ['c1'] }, 'Payments');
    expect(message).toEqual({
      text: 'Hookscope: 1 delivery refused by Hookscope on “Payments” (ep) within 1 h (window from 2026-01-05T10:00:00.000Z). Captures: c1.',
      endpointId: 'ep', alert: 'rejected', count: 1, windowSec: 3600, windowStart: T0, captureIds: ['c1'],
    });
    expect([spanText(45), spanText(120), spanText(7200), spanText(86_400)]).toEqual(['45 s', '2 min', '2 h', '1 d']);
  });
});
