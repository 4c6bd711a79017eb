import { describe, expect, it } from 'vitest';
import { jsonlCaptureSchema } from '../../../shared/replay';
import { wellFormedJsonl } from '../../../server/replay/jsonl-shape';

const GOOD = {
  id: 'c1', receivedAt: 1767225600000, method: 'POST', path: '/hooks/1', query: 'a=1', peer: '10.0.0.1',
  headers: [['Content-Type', 'application/json']], body: { encoding: 'utf8', data: '{"a":1}' },
  reply: { status: 200 }, verdicts: { signature: { status: 'skipped' } }, deliveryId: 'evt_1', eventType: 'invoice.paid',
};

// Values each field is given in turn: right ones, wrong types, limits either side, odd JSON.
const VARIANTS: Record<string, unknown[]> = {
  id: [undefined, 'x', 1, null],
  receivedAt: [0, -1, 1.5, '1', null, undefined, JSON.parse('1e999') as number],
  method: ['', 'P', 'X'.repeat(20), 'X'.repeat(21), 1, undefined],
  path: ['', 'p'.repeat(8192), 'p'.repeat(8193), null],
  query: ['', 'q'.repeat(65_536), 'q'.repeat(65_537), undefined],
  peer: [undefined, '', 'p'.repeat(200), 'p'.repeat(201), null],
  headers: [[], [['a', 'b'], ['c', 'd']], [['a']], [['a', 'b', 'c']], [['a', 1]], [null], {}, 'h', undefined],
  body: [{ encoding: 'base64', data: 'AA==' }, { encoding: 'hex', data: '' }, { encoding: 'utf8' }, { encoding: 'utf8', data: 'x', extra: 1 }, [], null],
  reply: [undefined, { status: 503, rejected: 'why' }, { status: 200, extra: true }, { status: 1.5 }, { status: 2 ** 53 }, { status: '200' }, { status: 200, rejected: 1 }, null, []],
  verdicts: [undefined, null, 'v', [1]],
  deliveryId: [undefined, null, '', 5],
  eventType: [undefined, null, 'e'.repeat(200), 'e'.repeat(201), 7],
};

describe('JSON Lines records recognised without the schema', () => {
  it('are exactly those the schema accepts in the shapes tried, with the same output; the rest are left to it', () => {
    let recognised = 0;
    for (const [field, values] of Object.entries(VARIANTS)) {
      for (const variant of values) {
        const value = { ...GOOD, [field]: variant };
        if (variant === undefined) delete (value as Record<string, unknown>)[field];
        const parsed = jsonlCaptureSchema.safeParse(value);
        const checked = wellFormedJsonl(value);
        if (checked === null) continue;
        recognised += 1;
        expect(parsed.success, `${field}: ${JSON.stringify(variant)}`).toBe(true);
        expect(JSON.stringify(checked)).toBe(JSON.stringify(parsed.data));
      }
    }
    expect(recognised).toBeGreaterThan(30);
    for (const other of [null, [], 'line', 5, { ...GOOD, extra: 'ignored' }]) {
      const checked = wellFormedJsonl(other);
      if (checked !== null) expect(JSON.stringify(checked)).toBe(JSON.stringify(jsonlCaptureSchema.parse(other)));
    }
  });
});
