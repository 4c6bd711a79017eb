import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import type { CaptureSummary, DeliveryAttempt, ReplayAttempt } from '../../shared/capture';
import { endpointSchema, type Endpoint } from '../../shared/endpoint';
import { ConflictError, NotFoundError, StoreUnavailableError } from '../errors';
import { CaptureLog } from './capture-log';
import { createCaptureIdGenerator } from './capture-id';
import { lockDataFolder } from './data-lock';
import { scanQuery } from './query-scan';
import { DurableJsonFile } from './durable-json-file';
import type { SegmentLimits } from './segment-writer';
import { silentLogger, type Logger } from '../logging/logger';
import type { CapturePage, ListOptions, NewCapture, Store, StoredCapture } from './store';

const endpointsFileSchema = z.object({ version: z.literal(1), endpoints: z.array(endpointSchema) });
type EndpointsFile = z.infer<typeof endpointsFileSchema>;

export interface LowdbStoreOptions {
  /** Data folder. */
  dir: string;
  newId?: () => string;
  segmentLimits?: Partial<SegmentLimits>;
  /** Damage found and repaired at start-up, retention failures; silent when not given. */
  logger?: Logger;
}

/**
 * The embedded store. Endpoint configs are one lowdb document (`endpoints.json`, replaced
 * atomically and fsynced); each endpoint's captures are a segmented append-only log under
 * `captures/<endpoint id>/` (see CaptureLog) so that a delivery costs one small fsynced append,
 * shared with every delivery that arrives meanwhile.
 */
export class LowdbStore implements Store {
  readonly description: string;
  private db: Low<EndpointsFile>;
  private logs = new Map<string, CaptureLog>();
  private endpointWrites: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** The endpoints by id, rebuilt whenever endpoints.json changes: ingest looks one up per delivery. */
  private endpointById = new Map<string, Endpoint>();
  private unlock: () => Promise<void> = async () => undefined;
  private newId: () => string;
  private readonly limits: SegmentLimits;
  private readonly logger: Logger;

  private constructor(private readonly options: LowdbStoreOptions) {
    this.description = `lowdb ${options.dir}`;
    this.newId = options.newId ?? createCaptureIdGenerator();
    this.limits = { maxCaptures: 256, maxBytes: 32 * 1024 * 1024, ...options.segmentLimits };
    this.logger = options.logger ?? silentLogger();
    this.db = new Low(new DurableJsonFile(join(options.dir, 'endpoints.json'), (v) => endpointsFileSchema.parse(v)), { version: 1, endpoints: [] });
  }

  /** Opens (creating if needed) the data folder; rejects with CorruptDataError on a damaged file. */
  static async open(options: LowdbStoreOptions): Promise<LowdbStore> {
    const store = new LowdbStore(options);
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    store.unlock = await lockDataFolder(options.dir);
    try {
      await store.db.read();
      store.db.data.endpoints.forEach((endpoint) => deepFreeze(endpoint));
      store.endpointById = new Map(store.db.data.endpoints.map((endpoint) => [endpoint.id, endpoint]));
      for (const endpoint of store.db.data.endpoints) await store.openLog(endpoint);
      if (!options.newId) store.newId = createCaptureIdGenerator(Date.now, store.newestId());
    } catch (error) {
      await store.unlock();
      throw error;
    }
    return store;
  }

  async ready(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.endpointWrites;
    await Promise.all([...this.logs.values()].map((log) => log.close()));
    await this.unlock();
  }

  async listEndpoints(): Promise<Endpoint[]> {
    return [...this.db.data.endpoints];
  }

  async getEndpoint(id: string): Promise<Endpoint | null> {
    const found = this.endpointById.get(id);
    return found ?? null; // frozen: safe to share, and ingest reads it on every delivery
  }

  async createEndpoint(endpoint: Endpoint): Promise<Endpoint> {
    return this.changeEndpoints(async (endpoints) => {
      if (endpoints.some((e) => e.id === endpoint.id)) throw new ConflictError(`endpoint ${endpoint.id} already exists`);
      endpoints.push(deepFreeze(structuredClone(endpoint)));
      await this.openLog(endpoint);
      return endpoint;
    });
  }

  async updateEndpoint(endpoint: Endpoint): Promise<Endpoint> {
    return this.changeEndpoints(async (endpoints) => {
      const index = endpoints.findIndex((e) => e.id === endpoint.id);
      if (index === -1) throw new NotFoundError(`no endpoint with id ${endpoint.id}`);
      endpoints[index] = deepFreeze(structuredClone(endpoint));
      this.logs.get(endpoint.id)?.applyRetention(endpoint.retention.maxCaptures);
      return endpoint;
    });
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.changeEndpoints(async (endpoints) => {
      const index = endpoints.findIndex((e) => e.id === id);
      if (index === -1) throw new NotFoundError(`no endpoint with id ${id}`);
      endpoints.splice(index, 1);
    });
    const log = this.logs.get(id);
    if (log) {
      this.logs.delete(id);
      await log.destroy();
    }
  }

  async append(capture: NewCapture): Promise<StoredCapture> {
    this.assertOpen();
    const log = this.logs.get(capture.endpointId);
    const endpoint = this.endpointById.get(capture.endpointId);
    if (!log || !endpoint) throw new NotFoundError(`no endpoint with id ${capture.endpointId}`);
    const stored: StoredCapture = { ...capture, id: this.newId(), replays: [] };
    await log.append(stored, endpoint.retention.maxCaptures);
    return stored;
  }

  async list(endpointId: string, options: ListOptions): Promise<CapturePage> {
    const log = this.requireLog(endpointId);
    if (!options.query) return log.list(options);
    const source = {
      pageBefore: async (before: string | undefined, limit: number) => log.list({ limit, ...(before !== undefined && { before }) }).items,
      get: (id: string) => log.read(id),
    };
    return { ...(await scanQuery(source, options.query, options.limit, options.before)), total: log.size };
  }

  async listAfter(endpointId: string, cursor: string | undefined, limit: number): Promise<CaptureSummary[]> {
    return this.requireLog(endpointId).listAfter(cursor, limit);
  }

  async count(endpointId: string): Promise<number> {
    return this.logs.get(endpointId)?.size ?? 0;
  }

  async get(id: string): Promise<StoredCapture | null> {
    const log = this.logFor(id);
    return log ? log.read(id) : null;
  }

  async findByDeliveryId(endpointId: string, deliveryId: string): Promise<string | null> {
    return this.logs.get(endpointId)?.findByDeliveryId(deliveryId) ?? null;
  }

  async deliveryAttempts(endpointId: string, deliveryId: string, limit: number): Promise<DeliveryAttempt[]> {
    return this.logs.get(endpointId)?.deliveryAttempts(deliveryId, limit) ?? [];
  }

  async deleteCapture(id: string): Promise<string | null> {
    this.assertOpen();
    for (const [endpointId, log] of this.logs) {
      if (log.has(id)) return (await log.delete(id)) ? endpointId : null;
    }
    return null;
  }

  async clearCaptures(endpointId: string): Promise<number> {
    this.assertOpen();
    return this.requireLog(endpointId).destroy();
  }

  async addReplayAttempt(captureId: string, attempt: ReplayAttempt): Promise<void> {
    this.assertOpen();
    const log = this.logFor(captureId);
    if (!log || !(await log.addReplay(captureId, attempt))) throw new NotFoundError(`no capture with id ${captureId}`);
  }

  /** Writes after close() would go to closed files: they reject, as the Store contract says. */
  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the store is closed');
  }

  /** The largest capture id any endpoint holds (ids are made after it). */
  private newestId(): string | undefined {
    let newest: string | undefined;
    for (const log of this.logs.values()) {
      const id = log.newestId();
      if (id !== undefined && (newest === undefined || id > newest)) newest = id;
    }
    return newest;
  }

  /** The log holding a capture: a map lookup per endpoint, off the ingest path. */
  private logFor(captureId: string): CaptureLog | null {
    for (const log of this.logs.values()) if (log.has(captureId)) return log;
    return null;
  }

  private requireLog(endpointId: string): CaptureLog {
    const log = this.logs.get(endpointId);
    if (!log) throw new NotFoundError(`no endpoint with id ${endpointId}`);
    return log;
  }

  private async openLog(endpoint: Endpoint): Promise<void> {
    const log = await CaptureLog.open(
      { dir: join(this.options.dir, 'captures', endpoint.id), limits: this.limits, logger: this.logger },
      endpoint.retention.maxCaptures,
    );
    this.logs.set(endpoint.id, log);
  }

  /** Serializes changes to endpoints.json; the in-memory copy changes only once the file has. */
  private changeEndpoints<T>(change: (endpoints: Endpoint[]) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const run = this.endpointWrites.then(async () => {
      const draft = [...this.db.data.endpoints];
      const result = await change(draft);
      const previous = this.db.data;
      this.db.data = { version: 1, endpoints: draft };
      try {
        await this.db.write();
      } catch (error) {
        this.db.data = previous;
        throw error;
      }
      this.endpointById = new Map(draft.map((endpoint) => [endpoint.id, endpoint]));
      return result;
    });
    this.endpointWrites = run.catch(() => undefined);
    return run;
  }
}

/** Freezes a value and everything in it: stored endpoints are shared, never changed in place. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
