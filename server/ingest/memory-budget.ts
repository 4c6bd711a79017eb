/**
 * Bodies of at most this many bytes are "small" (most webhooks): they may use the headroom that
 * large uploads leave free, so a flood of big uploads does not turn ordinary deliveries away.
 */
export const SMALL_BODY = 64 * 1024; // bytes

/**
 * Bytes an upload makes the server hold per byte of its body, which the budget charges, by store:
 * the body itself (read into one buffer of its declared length), plus what the store holds while
 * it writes it — nothing more for the embedded store (the segment writer hands the body's own
 * buffer to `writev`), a copy for PostgreSQL (the driver writes the body into its protocol
 * message, a buffer that grows by doubling) — plus slack for socket chunks not yet collected. So
 * the budget bounds memory, not just bodies; `npm run bench -- memory` measures what is held.
 */
export const HELD_PER_BODY_BYTE = { lowdb: 1.5, postgres: 3 } as const;

/** Which store's charge applies. */
export type BudgetedStore = keyof typeof HELD_PER_BODY_BYTE;

/** The share of a budget kept for small bodies. */
const headroomOf = (limit: number) => Math.floor(limit / 16); // bytes

/** The largest body a budget of `limit` bytes can ever admit (when nothing else is held). */
export function largestAdmittedBody(limit: number, perBodyByte: number): number {
  return Math.floor((limit - headroomOf(limit)) / perBodyByte);
}

/** What one upload holds against the budget; `release` is idempotent. */
export interface Reservation {
  /** Body bytes reserved now (the budget charges `perBodyByte` times that). */
  readonly bytes: number;
  /** Reserves `more` body bytes too (a chunk of a body without Content-Length); false, reserving nothing more, when they do not fit. */
  grow(more: number): boolean;
  /** Gives everything back. Safe to call more than once. */
  release(): void;
}

/**
 * The memory the public ingest may hold for request bodies at once, across every upload, each body
 * byte charged `perBodyByte` bytes. An upload reserves its declared Content-Length up front (or
 * each chunk as it arrives) and releases when its handler is done, whatever the outcome. A
 * reservation that would take `used` over `limit` is refused; one that would make the upload's
 * body larger than SMALL_BODY is also refused when it would eat into the last `headroom` bytes,
 * which stay for small deliveries.
 */
export class MemoryBudget {
  private held = 0; // bytes charged
  /** Largest `used` seen since start. */
  peak = 0; // bytes charged
  /** Bytes charged per body byte. */
  readonly perBodyByte: number;
  /** Bytes at the top of the budget only small bodies may use. */
  readonly headroom: number;
  private readonly onChange: (used: number) => void;

  constructor(
    readonly limit: number, // bytes
    options: { perBodyByte: number; onChange?: (used: number) => void },
  ) {
    this.perBodyByte = options.perBodyByte;
    this.headroom = headroomOf(limit);
    this.onChange = options.onChange ?? (() => undefined);
  }

  /** Bytes charged now. */
  get used(): number {
    return this.held;
  }

  /** What a body of `bytes` is charged. */
  charge(bytes: number): number {
    return Math.ceil(bytes * this.perBodyByte);
  }

  /** A reservation for a body of `bytes` (0 when its size is not known yet), or null when it does not fit. */
  tryReserve(bytes: number): Reservation | null {
    return this.grow(0, bytes) ? new BudgetReservation(this, bytes) : null;
  }

  /** Charges `more` body bytes to an upload holding `current`; false (charging nothing) when they do not fit. For reservations. */
  grow(current: number, more: number): boolean {
    if (!this.fits(current, more)) return false;
    this.take(this.charge(current + more) - this.charge(current));
    return true;
  }

  /** Gives back what a body of `bytes` was charged. For reservations. */
  giveBack(bytes: number): void {
    this.held -= this.charge(bytes);
    this.onChange(this.held);
  }

  /** Whether an upload holding a body of `current` bytes may hold `more`. */
  private fits(current: number, more: number): boolean {
    const after = this.held + this.charge(current + more) - this.charge(current);
    const ceiling = current + more > SMALL_BODY ? this.limit - this.headroom : this.limit;
    return after <= ceiling;
  }

  private take(bytes: number): void {
    this.held += bytes;
    if (this.held > this.peak) this.peak = this.held;
    this.onChange(this.held);
  }
}

/** One upload's share of a MemoryBudget. */
class BudgetReservation implements Reservation {
  private released = false;

  constructor(
    private readonly budget: MemoryBudget,
    private held: number, // body bytes
  ) {}

  get bytes(): number {
    return this.released ? 0 : this.held;
  }

  grow(more: number): boolean {
    if (this.released || !this.budget.grow(this.held, more)) return false;
    this.held += more;
    return true;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.giveBack(this.held);
  }
}
