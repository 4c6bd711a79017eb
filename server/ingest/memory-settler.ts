import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface SettlerOptions {
  /** Bytes charged at once that make a burst worth a collection once it is over. */
  threshold: number; // bytes
  /** How long the budget must stay empty before collecting. */
  quietMs: number; // ms
  /** One full garbage collection (default: V8's). */
  collect?: () => void;
  /** Timers (default: unref'd setTimeout), injectable for tests. */
  setTimer?: (run: () => void, ms: number) => { cancel(): void };
}

/** Between the two collections: V8 frees large strings' memory on the collection after the one that found them dead. */
const SECOND_COLLECTION_MS = 1000; // ms

/**
 * Gives memory back after a burst of large uploads. V8 collects garbage when JavaScript
 * allocates, not when a process goes quiet: the dead bodies and store records (memory outside the
 * JS heap) would stay resident until enough is allocated again, which for an idle receiver can be
 * minutes. So once the budget has held at least `threshold` and then stayed empty for `quietMs`,
 * two full collections run (a second apart). Bursts below the threshold cost nothing.
 */
export class MemorySettler {
  private heldMost = 0; // bytes charged at once since the last collection
  private pending: { cancel(): void } | null = null;
  private readonly collect: () => void;
  private readonly setTimer: NonNullable<SettlerOptions['setTimer']>;

  constructor(private readonly options: SettlerOptions) {
    this.collect = options.collect ?? fullCollection;
    this.setTimer = options.setTimer ?? unrefTimer;
  }

  /** Told the budget's use after every change. */
  observe(used: number): void {
    if (used > 0) {
      this.heldMost = Math.max(this.heldMost, used);
      this.pending?.cancel(); // not quiet yet
      this.pending = null;
      return;
    }
    if (this.heldMost < this.options.threshold || this.pending) return;
    this.pending = this.setTimer(() => {
      this.pending = null;
      this.heldMost = 0;
      this.collect();
      this.setTimer(() => this.collect(), SECOND_COLLECTION_MS);
    }, this.options.quietMs);
  }
}

function unrefTimer(run: () => void, ms: number): { cancel(): void } {
  const timer = setTimeout(run, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}

let gc: (() => void) | null | undefined;

/** V8's full collection: `gc` when the process runs with --expose-gc, else one from a context that has it. */
function fullCollection(): void {
  if (gc === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    try {
      if (!exposed) setFlagsFromString('--expose-gc'); // only contexts created from now on get `gc`
      gc = exposed ?? (runInNewContext('gc') as () => void);
    } catch {
      gc = null; // a runtime without it: memory returns when V8 next collects on its own
    }
  }
  gc?.();
}
