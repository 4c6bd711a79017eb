import { Counter, Gauge, type Registry } from 'prom-client';
import type { IngestLimits, IngestObserver } from './ingest-limits';

/**
 * The ingest limits' figures in a metrics registry: deliveries refused (429 by endpoint, 503 by
 * reason) as counters, the budget and what is reserved of it and the uploads in flight as gauges
 * read when scraped. `observer` goes to IngestLimits; `watch` names the limits to read.
 */
export function createIngestMetrics(registry: Registry): { observer: IngestObserver; watch(limits: IngestLimits): void } {
  const rateLimited = new Counter({
    name: 'hookscope_ingest_rate_limited_total',
    help: 'Deliveries answered 429 because their endpoint was over its rate limit (not stored)',
    labelNames: ['endpoint'] as const,
    registers: [registry],
  });
  const refused = new Counter({
    name: 'hookscope_ingest_refused_total',
    help: 'Deliveries answered 503 for lack of room: memory (ingest memory budget) or peer (uploads per address)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  let watched: IngestLimits | null = null;
  new Gauge({
    name: 'hookscope_ingest_memory_reserved_bytes', help: 'Body bytes reserved against the ingest memory budget now', registers: [registry],
    collect() { this.set(watched?.budget.used ?? 0); },
  });
  new Gauge({
    name: 'hookscope_ingest_memory_reserved_peak_bytes', help: 'The most body bytes reserved at once since the server started', registers: [registry],
    collect() { this.set(watched?.budget.peak ?? 0); },
  });
  new Gauge({
    name: 'hookscope_ingest_memory_budget_bytes', help: 'The ingest memory budget', registers: [registry],
    collect() { this.set(watched?.budget.limit ?? 0); },
  });
  new Gauge({
    name: 'hookscope_ingest_large_uploads', help: 'Uploads over 64 KiB or of unknown length being received or handled now (what the per-peer cap counts)', registers: [registry],
    collect() { this.set(watched?.peers.total ?? 0); },
  });
  return {
    observer: {
      rateLimited: (endpoint) => rateLimited.inc({ endpoint }),
      refused: (reason) => refused.inc({ reason }),
    },
    watch(limits) {
      watched = limits;
    },
  };
}
