// The Hub contract (server/stream/hub.ts), run against every implementation: a subscriber
// receives each event published after it subscribed exactly once, and the events about one
// endpoint in order — whichever instance published them.
import { afterEach, beforeEach, describe, expect } from 'vitest';
import { endpointView } from '../../server/api/endpoint-config';
import type { Store } from '../../server/store/store';
import type { Hub } from '../../server/stream/hub';
import type { HubEvent } from '../../shared/stream';
import { summaryOf } from '../../server/store/capture-record';
import { caseFn } from './store-contract';
import { delivery, endpoint } from './store-fixtures';

export interface HubHarness {
  /** The store captures are appended to (shared by every instance). */
  store: Store;
  /** Hubs of different instances over the same backing; an in-process hub lists itself twice. */
  instances: [Hub, Hub];
  cleanup(): Promise<void>;
}

export interface HubContractOptions {
  name: string;
  harness: () => Promise<HubHarness>;
  skip?: Record<string, string>;
}

/** Collects what one listener receives; `until` awaits a condition on it (no fixed sleeps). */
class Recorder {
  events: HubEvent[] = [];
  private waiters: (() => void)[] = [];
  readonly listener = (event: HubEvent) => {
    this.events.push(event);
    for (const wake of this.waiters.splice(0)) wake();
  };

  captureIds(endpointId?: string): string[] {
    return this.events.flatMap((e) => (e.type === 'capture' && (!endpointId || e.capture.endpointId === endpointId) ? [e.capture.id] : []));
  }

  async until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${this.events.length} events`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Publishes a marker and waits for it: everything published before it has arrived too. */
async function settle(hub: Hub, recorders: Recorder[], id: string): Promise<void> {
  await hub.publish({ type: 'captures-cleared', endpointId: `marker-${id}` });
  const seen = (r: Recorder) => r.events.some((e) => e.type === 'captures-cleared' && e.endpointId === `marker-${id}`);
  await Promise.all(recorders.map((r) => r.until(() => seen(r), `marker ${id}`)));
}

export function runHubContract(options: HubContractOptions): void {
  describe(`Hub contract: ${options.name}`, () => {
    let h: HubHarness;
    let store: Store;
    beforeEach(async () => {
      h = await options.harness();
      store = h.store;
      await store.createEndpoint(endpoint('a'));
      await store.createEndpoint(endpoint('b'));
    });
    afterEach(async () => h.cleanup());
    const test = caseFn(options.skip);
    const capture = async (endpointId: string) => summaryOf(await store.append(delivery(endpointId)));

    test('a capture published on one instance reaches subscribers on every instance exactly once', async () => {
      const [a, b] = [new Recorder(), new Recorder()];
      h.instances[0].subscribe(a.listener);
      h.instances[1].subscribe(b.listener);
      const c = await capture('a');
      await h.instances[0].publish({ type: 'capture', capture: c });
      await Promise.all([a, b].map((r) => r.until(() => r.captureIds().length > 0, 'the capture')));
      await settle(h.instances[1], [a, b], '1');
      for (const r of [a, b]) {
        expect(r.captureIds()).toEqual([c.id]);
        expect(r.events[0]).toEqual({ type: 'capture', capture: c });
      }
    });

    test('captures appended and published on both instances arrive everywhere once each, in id order', async () => {
      const [a, b] = [new Recorder(), new Recorder()];
      h.instances[0].subscribe(a.listener);
      h.instances[1].subscribe(b.listener);
      const made = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
        const c = await capture(i % 4 === 0 ? 'b' : 'a');
        await (h.instances[i % 2] as Hub).publish({ type: 'capture', capture: c });
        return c;
      }));
      for (const endpointId of ['a', 'b']) {
        const ids = made.filter((c) => c.endpointId === endpointId).map((c) => c.id).sort();
        for (const r of [a, b]) {
          await r.until(() => r.captureIds(endpointId).length >= ids.length, `${ids.length} captures of ${endpointId}`);
        }
        await settle(h.instances[0], [a, b], endpointId);
        for (const r of [a, b]) expect(r.captureIds(endpointId)).toEqual(ids);
      }
    });

    test('captures published out of commit order are still delivered in id order', async () => {
      const r = new Recorder();
      h.instances[1].subscribe(r.listener);
      const first = await capture('a');
      const second = await capture('a');
      await h.instances[1].publish({ type: 'capture', capture: second });
      await h.instances[0].publish({ type: 'capture', capture: first });
      await r.until(() => r.captureIds().length >= 2, 'both captures');
      await settle(h.instances[0], [r], 'late');
      expect(r.captureIds()).toEqual([first.id, second.id]);
    });

    test('other events reach every instance intact and in publish order, whatever their size', async () => {
      const r = new Recorder();
      h.instances[1].subscribe(r.listener);
      const big = endpointView({ ...endpoint('a'), response: { status: 200, headers: {}, body: 'x'.repeat(20_000), delayMs: 0 } }, 3);
      const events: HubEvent[] = [
        { type: 'capture-deleted', endpointId: 'a', id: 'c1' },
        { type: 'endpoint-updated', endpoint: big },
        { type: 'captures-cleared', endpointId: 'a' },
        { type: 'captures-cleared', endpointId: 'a' },
        { type: 'replay-result', endpointId: 'a', captureId: 'c2', attempt: { id: 'r', kind: 'replay', url: 'http://x/', startedAt: 1, durationMs: 1, status: 200 } },
        { type: 'endpoint-deleted', endpointId: 'b' },
      ];
      for (const event of events) void h.instances[0].publish(event);
      await r.until(() => r.events.length >= events.length, 'every event');
      await settle(h.instances[0], [r], 'other');
      expect(r.events.slice(0, -1)).toEqual(events);
    });

    test('unsubscribing stops delivery to that listener only; a throwing listener stops no one', async () => {
      const [kept, dropped] = [new Recorder(), new Recorder()];
      h.instances[0].subscribe(() => {
        throw new Error('listener bug');
      });
      h.instances[0].subscribe(kept.listener);
      const unsubscribe = h.instances[0].subscribe(dropped.listener);
      unsubscribe();
      const c = await capture('b');
      await h.instances[1].publish({ type: 'capture', capture: c });
      await settle(h.instances[0], [kept], 'unsub');
      expect(kept.captureIds()).toEqual([c.id]);
      expect(dropped.events).toEqual([]);
    });

    test('after close, publishing resolves and delivers nothing', async () => {
      const r = new Recorder();
      h.instances[0].subscribe(r.listener);
      await h.instances[0].close();
      await expect(h.instances[0].publish({ type: 'captures-cleared', endpointId: 'a' })).resolves.toBeUndefined();
      await h.instances[1].publish({ type: 'captures-cleared', endpointId: 'b' });
      expect(r.events).toEqual([]);
    });
  });
}
