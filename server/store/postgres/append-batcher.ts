import type { NewCapture } from '../store';
import { appendArrays } from './capture-columns';
import type { Database } from './database';

interface Pending {
  capture: NewCapture;
  resolve: (id: string) => void;
  reject: (error: unknown) => void;
}

interface EndpointQueue {
  waiting: Pending[];
  flushing: Promise<void> | null;
}

const MAX_BATCH = 200; // captures per transaction
const MAX_BATCH_BYTES = 16 * 1024 * 1024; // body bytes per transaction (one capture may exceed it alone)

/**
 * Group commit per endpoint. Appends to one endpoint commit one at a time (the endpoint row
 * lock of the cursor scheme), so a lone append goes out at once, and those arriving while it
 * commits wait and go together in the next transaction. Each append resolves with its id only
 * once its transaction has committed; a failed transaction rejects every append in it.
 */
export class AppendBatcher {
  private queues = new Map<string, EndpointQueue>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly newIdSuffix: () => string,
  ) {}

  append(capture: NewCapture): Promise<string> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(capture.endpointId);
      if (!queue) {
        queue = { waiting: [], flushing: null };
        this.queues.set(capture.endpointId, queue);
      }
      queue.waiting.push({ capture, resolve, reject });
      queue.flushing ??= this.flush(capture.endpointId, queue);
    });
  }

  /** Resolves once every append handed over so far has settled. */
  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.flushing));
  }

  private async flush(endpointId: string, queue: EndpointQueue): Promise<void> {
    while (queue.waiting.length > 0) {
      const batch = takeBatch(queue.waiting);
      try {
        const ids = await this.write(endpointId, batch.map((p) => p.capture));
        batch.forEach((pending, i) => pending.resolve(ids[i] as string));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.queues.delete(endpointId); // no await since the loop ended: nothing was queued meanwhile
  }

  /** One transaction: ids, checksums and search columns for every capture (hookscope_append_rows, migration 0004). */
  private async write(endpointId: string, captures: NewCapture[]): Promise<string[]> {
    const { rows } = await this.db.query<{ capture_id: string }>(
      'SELECT capture_id FROM hookscope_append_rows($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
      [endpointId, this.now(), ...appendArrays(captures, this.newIdSuffix)],
    );
    return rows.map((r) => r.capture_id);
  }
}

function takeBatch(waiting: Pending[]): Pending[] {
  let count = 0;
  let bytes = 0;
  while (count < waiting.length && count < MAX_BATCH) {
    const size = (waiting[count] as Pending).capture.body.length;
    if (count > 0 && bytes + size > MAX_BATCH_BYTES) break;
    bytes += size;
    count += 1;
  }
  return waiting.splice(0, count);
}
