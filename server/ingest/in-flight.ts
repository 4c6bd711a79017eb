/**
 * Counts ingest handlers still running. A sender that hangs up does not stop its handler (it may
 * be storing, or waiting for a proxy target), so shutdown waits for them, not just for sockets.
 */
export class InFlight {
  private running = new Set<Promise<unknown>>();

  /** Runs `work`, remembered until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves when everything tracked so far has settled. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
