import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { StoreUnavailableError } from './errors';
import type { Store, StoredCapture } from './store/store';

/** Store methods timed by the latency histogram (their names are the `operation` label). */
const TIMED: readonly (keyof Store)[] = [
  'listEndpoints', 'getEndpoint', 'createEndpoint', 'updateEndpoint', 'deleteEndpoint', 'append', 'list', 'listAfter',
  'count', 'get', 'findByDeliveryId', 'deleteCapture', 'clearCaptures', 'addReplayAttempt', 'importCaptures', 'importEncoded',
];

export interface MetricSources {
  /** Authenticated stream connections now. */
  streamClients?: () => number;
  /** Deliveries waiting for or in forwarding now. */
  forwardQueue?: () => number;
}

/**
 * Prometheus metrics of one server (its own registry, so several servers in one process —
 * tests — do not collide). Served at `/metrics` in the text format.
 */
export interface Metrics {
  readonly registry: Registry;
  /** The same store, with every call timed and every stored delivery counted. */
  instrumentStore(store: Store): Store;
  /** Gauges read when scraped. */
  watch(sources: MetricSources): void;
  /** `GET /metrics`. */
  readonly handler: RequestHandler;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'hookscope_' });
  const deliveries = new Counter({
    name: 'hookscope_deliveries_total',
    help: 'Deliveries stored, by endpoint, reply status and signature/schema verdict',
    labelNames: ['endpoint', 'status', 'signature', 'schema'] as const,
    registers: [registry],
  });
  // Buckets from a local commit (sub-ms) to a struggling database (seconds).
  const latency = new Histogram({
    name: 'hookscope_store_operation_seconds',
    help: 'Time store operations take, by operation',
    labelNames: ['operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'hookscope_store_errors_total',
    help: 'Store operations that failed because storage was unavailable (unavailable) or otherwise (other)',
    labelNames: ['operation', 'kind'] as const,
    registers: [registry],
  });
  let sources: MetricSources = {};
  new Gauge({
    name: 'hookscope_stream_subscribers', help: 'Authenticated live-stream connections', registers: [registry],
    collect() { this.set(sources.streamClients?.() ?? 0); },
  });
  new Gauge({
    name: 'hookscope_forward_queue', help: 'Deliveries queued or in flight to forward targets', registers: [registry],
    collect() { this.set(sources.forwardQueue?.() ?? 0); },
  });
  const countDelivery = (capture: StoredCapture) => deliveries.inc({
    endpoint: capture.endpointId, status: String(capture.reply.status),
    signature: capture.verdicts.signature.status, schema: capture.verdicts.schema.status,
  });

  return {
    registry,
    instrumentStore(store) {
      return instrument(store, (operation, seconds, error) => {
        latency.observe({ operation }, seconds);
        if (error !== undefined) errors.inc({ operation, kind: error instanceof StoreUnavailableError ? 'unavailable' : 'other' });
      }, countDelivery);
    },
    watch(next) {
      sources = { ...sources, ...next };
    },
    handler: async (_req, res) => {
      res.setHeader('content-type', registry.contentType);
      res.end(await registry.metrics());
    },
  };
}

type Observe = (operation: string, seconds: number, error?: unknown) => void;

/** A Proxy so the wrapper follows the Store interface as it grows; untimed members pass through. */
function instrument(store: Store, observe: Observe, onAppend: (capture: StoredCapture) => void): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (!TIMED.includes(property as keyof Store)) return value.bind(target);
      const operation = String(property);
      return async (...args: unknown[]) => {
        const started = process.hrtime.bigint();
        const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
        try {
          const result: unknown = await value.apply(target, args);
          observe(operation, seconds());
          if (operation === 'append') onAppend(result as StoredCapture);
          return result;
        } catch (error) {
          observe(operation, seconds(), error ?? new Error('rejected'));
          throw error;
        }
      };
    },
  });
}
