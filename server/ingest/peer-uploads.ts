import { peerKey } from '../net/ip-address';

/** How many uploads each peer has in flight; a peer at `max` is refused more until one ends. */
export class PeerUploads {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Counts an upload from `address`: a release function (idempotent), or null when the peer is at its cap. */
  tryEnter(address: string): (() => void) | null {
    const key = peerKey(address);
    const count = this.counts.get(key) ?? 0;
    if (count >= this.max) return null;
    this.counts.set(key, count + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const now = (this.counts.get(key) ?? 1) - 1;
      if (now === 0) this.counts.delete(key); // the map holds only peers with uploads in flight
      else this.counts.set(key, now);
    };
  }

  /** Uploads in flight, all peers together. */
  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  /** Uploads in flight from one peer (by its key). */
  inFlight(address: string): number {
    return this.counts.get(peerKey(address)) ?? 0;
  }
}
