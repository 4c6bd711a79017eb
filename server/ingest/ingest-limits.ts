import type { RateLimit } from '../../shared/rate-limit';
import { MemoryBudget, SMALL_BODY, type Reservation } from './memory-budget';
import { MemorySettler, type SettlerOptions } from './memory-settler';
import { PeerUploads } from './peer-uploads';
import { RateLimiter, type RateDecision } from './rate-limit';

/** Seconds a sender refused for lack of room is asked to wait (uploads in flight take about that long). */
export const BUSY_RETRY_AFTER_SEC = 5;

/** Why an upload was turned away with 503. */
export type BusyReason = 'memory' | 'peer';

/** Counts for /metrics; every hook is optional. */
export interface IngestObserver {
  rateLimited?(endpointId: string): void;
  refused?(reason: BusyReason): void;
}

/** An admitted upload: its budget reservation, and `release` (idempotent) for when its handler is done. */
export interface Upload {
  readonly reservation: Reservation;
  release(): void;
}

export type Admission = { ok: true; upload: Upload } | { ok: false; reason: BusyReason; message: string; retryAfterSec: number };

export interface IngestLimitsOptions {
  memoryBudget: number; // bytes
  /** Bytes charged per body byte (HELD_PER_BODY_BYTE of the store in use). */
  perBodyByte: number;
  peerUploads: number; // uploads in flight per peer address
  now: () => number; // ms
  observer?: IngestObserver;
  /** After a burst: when to collect garbage, and how (tests inject these). */
  settle?: Partial<SettlerOptions>;
}

/**
 * What keeps the public ingest bounded: the memory budget for bodies received and held at once,
 * the cap on uploads in flight per peer address, and the endpoints' rate limits. One per server.
 */
export class IngestLimits {
  readonly budget: MemoryBudget;
  readonly peers: PeerUploads;
  readonly rates: RateLimiter;
  private readonly observer: IngestObserver;

  constructor(options: IngestLimitsOptions) {
    this.observer = options.observer ?? {};
    // A burst that held 64 MiB (or a quarter of a smaller budget) is worth a collection after.
    const settler = new MemorySettler({ threshold: Math.min(64 * 1024 * 1024, options.memoryBudget / 4), quietMs: 2000, ...options.settle });
    this.budget = new MemoryBudget(options.memoryBudget, { perBodyByte: options.perBodyByte, onChange: (used) => settler.observe(used) });
    this.peers = new PeerUploads(options.peerUploads);
    this.rates = new RateLimiter(options.now, (endpointId) => this.observer.rateLimited?.(endpointId));
  }

  /** One delivery's token of the endpoint's rate limit (null: none). */
  takeRate(endpointId: string, limit: RateLimit | null): RateDecision {
    return this.rates.take(endpointId, limit);
  }

  /**
   * Admits a delivery from `peer` whose body declares `declared` bytes (null when it declares
   * none: its chunks are reserved as they arrive), or says why not. Only uploads over SMALL_BODY
   * or of unknown length count against the peer's cap: small deliveries cost little and are
   * bounded by the budget alone. Admitted uploads must be released.
   */
  admit(peer: string, declared: number | null): Admission {
    const counted = declared === null || declared > SMALL_BODY;
    const leave = counted ? this.peers.tryEnter(peer) : () => undefined;
    if (!leave) {
      return this.refuse('peer', `too many large uploads at once from ${peer} (at most ${this.peers.max} in flight per address); retry in ${BUSY_RETRY_AFTER_SEC} s`);
    }
    const reservation = this.budget.tryReserve(declared ?? 0);
    if (!reservation) {
      leave();
      return this.refuse('memory', this.overBudgetMessage(declared ?? 0));
    }
    const release = () => {
      reservation.release();
      leave();
    };
    return { ok: true, upload: { reservation, release } };
  }

  /** The refusal of a body that outgrew the budget while arriving (no Content-Length). */
  refuseGrown(size: number): Admission & { ok: false } {
    return this.refuse('memory', this.overBudgetMessage(size));
  }

  private overBudgetMessage(size: number): string {
    return `the server is receiving too many bodies at once (ingest memory budget in use; this one is ${size} bytes); retry in ${BUSY_RETRY_AFTER_SEC} s`;
  }

  private refuse(reason: BusyReason, message: string): Admission & { ok: false } {
    this.observer.refused?.(reason);
    return { ok: false, reason, message, retryAfterSec: BUSY_RETRY_AFTER_SEC };
  }
}
