/**
 * Bodies of at most this many bytes are "small" (most webhooks): they may use the headroom that
 * large uploads leave free, so a flood of big uploads does not turn ordinary deliveries away.
 */
export const SMALL_BODY = 64 * 1024; // bytes

/** The share of a budget kept for small bodies. */
const headroomOf = (limit: number) => Math.floor(limit / 16); // bytes

/** The largest body a budget of `limit` bytes can ever admit (when nothing else is held). */
export function largestAdmittedBody(limit: number): number {
  return limit - headroomOf(limit);
}

/** What one upload holds against the budget; `release` is idempotent. */
export interface Reservation {
  /** Bytes held now. */
  readonly bytes: number;
  /** Holds `more` bytes too (a chunk of a body without Content-Length); false, holding nothing more, when they do not fit. */
  grow(more: number): boolean;
  /** Gives everything back. Safe to call more than once. */
  release(): void;
}

/**
 * The bytes of request bodies the public ingest receives and holds at once, across every upload.
 * An upload reserves its declared Content-Length up front (or each chunk as it arrives) and
 * releases when its handler is done, whatever the outcome. A reservation that would take `used`
 * over `limit` is refused; one that would make the upload larger than SMALL_BODY is also refused
 * when it would eat into the last `headroom` bytes, which stay for small deliveries.
 */
export class MemoryBudget {
  private held = 0; // bytes
  /** Largest `used` seen since start (or since `resetPeak`). */
  peak = 0; // bytes

  constructor(
    readonly limit: number, // bytes
    readonly headroom = headroomOf(limit), // bytes kept for small bodies
  ) {}

  /** Bytes reserved now. */
  get used(): number {
    return this.held;
  }

  /** A reservation of `bytes` (0 for a body whose size is not known yet), or null when it does not fit. */
  tryReserve(bytes: number): Reservation | null {
    if (!this.fits(0, bytes)) return null;
    this.take(bytes);
    let mine = bytes;
    let released = false;
    const take = (more: number) => {
      if (released || !this.fits(mine, more)) return false;
      this.take(more);
      mine += more;
      return true;
    };
    const release = () => {
      if (released) return;
      released = true;
      this.held -= mine;
    };
    return {
      get bytes() {
        return released ? 0 : mine;
      },
      grow: take,
      release,
    };
  }

  resetPeak(): void {
    this.peak = this.held;
  }

  /** Whether an upload holding `current` bytes may hold `more`. */
  private fits(current: number, more: number): boolean {
    const after = this.held + more;
    const ceiling = current + more > SMALL_BODY ? this.limit - this.headroom : this.limit;
    return after <= ceiling;
  }

  private take(bytes: number): void {
    this.held += bytes;
    if (this.held > this.peak) this.peak = this.held;
  }
}
