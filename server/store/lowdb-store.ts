import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { CaptureSummary, DeliveryAttempt, ReplayAttempt } from '../../shared/capture';
import type { Endpoint } from '../../shared/endpoint';
import { ConflictError, NotFoundError, StoreFullError, StoreUnavailableError, StoreWriteError } from '../errors';
import { encodeCaptures, type EncodedCaptures } from './batch-encode';
import { CaptureLog } from './capture-log';
import { summaryOf } from './capture-record';
import { Interner } from './capture-index';
import { createCaptureIdGenerator } from './capture-id';
import { lockDataFolder } from './data-lock';
import { markDeleting, prepareDataFolder, writeCleanShutdown } from './data-folder';
import { EndpointsFile, type EndpointsDocument } from './endpoints-file';
import type { LogInspection } from './log-inspect';
import { queryLog } from './log-query';
import type { RawCapture, RawPlaces } from './raw-capture';
import type { SegmentLimits } from './segment-writer';
import type { SegmentCheckOptions } from './segment-check-threads';
import type { CapturePage, ListOptions, NewCapture, Store, StoredCapture } from './store';
import { silentLogger, type Logger } from '../logging/logger';

const RETRY_READS = 256; // captures of a retried import read at once

async function* oneOf<T>(value: T): AsyncGenerator<T> {
  yield value;
}

export interface LowdbStoreOptions {
  /** Data folder. */
  dir: string;
  newId?: () => string;
  segmentLimits?: Partial<SegmentLimits>;
  /** Where warnings go (a torn write cut off, an unclean shutdown…); silent by default. */
  logger?: Logger;
  /** Told each warning as a sentence too (tests collect them). */
  warn?: (message: string) => void;
  /** How start-up reads and checks large logs in worker threads (tests lower the size that does). */
  checkThreads?: SegmentCheckOptions;
}

/**
 * The embedded store. Endpoint configs are one lowdb document (`endpoints.json`, checksummed,
 * replaced atomically and fsynced); each endpoint's captures are a segmented append-only log
 * under `captures/<endpoint id>/` (see CaptureLog) so that a delivery costs one small fsynced
 * append, shared with every delivery that arrives meanwhile. Opening checks the whole folder
 * and refuses a damaged one (DamagedStoreError); write failures reject with StoreFullError /
 * StoreWriteError and the store takes writes again by itself when the disk does.
 */
export class LowdbStore implements Store {
  readonly description: string;
  private db: Low<EndpointsDocument>;
  private logs = new Map<string, CaptureLog>();
  private endpointWrites: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** The endpoints by id, rebuilt whenever endpoints.json changes: ingest looks one up per delivery. */
  private endpointById = new Map<string, Endpoint>();
  private unlock: () => Promise<void> = async () => undefined;
  private newId: () => string;
  private readonly limits: SegmentLimits;
  private readonly warn: (message: string) => void;
  private readonly intern = new Interner();
  /** The last write failed for lack of space or an I/O error: ready() is false until one succeeds. */
  private writeProblem: Error | null = null;

  private constructor(private readonly options: LowdbStoreOptions) {
    this.description = `lowdb ${options.dir}`;
    this.newId = options.newId ?? createCaptureIdGenerator();
    this.limits = { maxCaptures: 256, maxBytes: 32 * 1024 * 1024, ...options.segmentLimits };
    const logger = options.logger ?? silentLogger();
    this.warn = (message) => {
      logger.warn({ store: this.description }, message);
      options.warn?.(message);
    };
    this.db = new Low(new EndpointsFile(join(options.dir, 'endpoints.json')), { endpoints: [] });
  }

  /** Opens (creating if needed) the data folder; rejects with DamagedStoreError / CorruptDataError on damage. */
  static async open(options: LowdbStoreOptions): Promise<LowdbStore> {
    const store = new LowdbStore(options);
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    store.unlock = await lockDataFolder(options.dir);
    try {
      const prepared = await prepareDataFolder(options.dir, store.description, store.warn, store.intern, options.checkThreads);
      store.db.data = { endpoints: prepared.endpoints.map((endpoint) => deepFreeze(endpoint)) };
      store.endpointById = new Map(store.db.data.endpoints.map((endpoint) => [endpoint.id, endpoint]));
      for (const endpoint of store.db.data.endpoints) await store.openLog(endpoint, prepared.logs.get(endpoint.id));
      if (!options.newId) store.newId = createCaptureIdGenerator(Date.now, store.newestId());
    } catch (error) {
      await store.unlock();
      throw error;
    }
    return store;
  }

  /** Open and able to write: after a failed write, a probe write decides (so readiness returns with the space). */
  async ready(): Promise<boolean> {
    if (this.closed) return false;
    if (this.writeProblem) await this.probe();
    return this.writeProblem === null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.endpointWrites;
    await Promise.all([...this.logs.values()].map((log) => log.close()));
    // A log whose failed write could not be undone is left out: its next start is treated as after a crash.
    const endpoints = Object.fromEntries([...this.logs].flatMap(([id, log]) => (log.end ? [[id, log.end]] : [])));
    await writeCleanShutdown(this.options.dir, { endpoints }).catch((error: Error) => this.warn(`could not record the clean shutdown: ${error.message}`));
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
      await this.openLog(endpoint, undefined);
      return endpoint;
    });
  }

  async updateEndpoint(endpoint: Endpoint): Promise<Endpoint> {
    return this.changeEndpoints(async (endpoints) => {
      const index = endpoints.findIndex((e) => e.id === endpoint.id);
      if (index === -1) throw new NotFoundError(`no endpoint with id ${endpoint.id}`);
      endpoints[index] = deepFreeze(structuredClone(endpoint));
      return endpoint;
    }).then((result) => {
      this.logs.get(endpoint.id)?.applyRetention(endpoint.retention.maxCaptures);
      return result;
    });
  }

  async deleteEndpoint(id: string): Promise<void> {
    const folder = join(this.options.dir, 'captures', id);
    await this.changeEndpoints(async (endpoints) => {
      const index = endpoints.findIndex((e) => e.id === id);
      if (index === -1) throw new NotFoundError(`no endpoint with id ${id}`);
      // A crash after endpoints.json changes but before the folder goes must not leave a folder without config.
      await markDeleting(folder);
      endpoints.splice(index, 1);
    }).catch(async (error: unknown) => {
      await unlink(join(folder, 'deleting')).catch(() => undefined);
      throw error;
    });
    const log = this.logs.get(id);
    if (log) {
      this.logs.delete(id);
      await log.destroy();
    }
  }

  async append(capture: NewCapture): Promise<StoredCapture> {
    this.assertOpen();
    const { log, endpoint } = this.target(capture.endpointId);
    const stored: StoredCapture = { ...capture, id: this.newId(), replays: [] };
    await this.writing(log.append(stored, endpoint.retention.maxCaptures));
    return stored;
  }

  /**
   * Appends captures as one atomic write: after a crash, all of them are there or none. A retry
   * with an `importId` already committed resolves to the captures stored the first time.
   */
  async importCaptures(endpointId: string, captures: NewCapture[], importId: string): Promise<StoredCapture[]> {
    this.assertOpen();
    const { log, endpoint } = this.target(endpointId);
    const done = log.imports.get(importId);
    if (done) return this.readRetried(log, done);
    const { ids, duplicateOf } = this.importIds(log, captures.map((capture) => capture.deliveryId));
    const stored = captures.map((capture, i): StoredCapture => ({ ...capture, endpointId, duplicateOf: duplicateOf[i] as string | null, id: ids[i] as string, replays: [] }));
    await this.writing(log.appendEncoded(oneOf(encodeCaptures(stored)), stored.length, endpoint.retention.maxCaptures, importId));
    return stored;
  }

  /**
   * importCaptures for captures parsed elsewhere (import worker threads): given their delivery
   * ids in file order, the store gives their ids and what each repeats (`encode`'s arguments), and
   * writes the records `encode` makes of them, part by part as they come. Atomic and idempotent as importCaptures; resolves
   * to the stored captures' summaries.
   */
  async importEncoded(
    endpointId: string, deliveryIds: (string | null)[], encode: (ids: string[], duplicateOf: (string | null)[]) => AsyncIterable<EncodedCaptures>, importId: string,
  ): Promise<CaptureSummary[]> {
    this.assertOpen();
    const { log, endpoint } = this.target(endpointId);
    const done = log.imports.get(importId);
    if (done) return (await this.readRetried(log, done)).map(summaryOf);
    const { ids, duplicateOf } = this.importIds(log, deliveryIds);
    return this.writing(log.appendEncoded(encode(ids, duplicateOf), ids.length, endpoint.retention.maxCaptures, importId));
  }

  /** New ids for an import's captures, in order, and the earlier capture each one's delivery id repeats (null if none). */
  private importIds(log: CaptureLog, deliveryIds: (string | null)[]): { ids: string[]; duplicateOf: (string | null)[] } {
    const ids: string[] = [];
    const duplicateOf: (string | null)[] = [];
    const seen = new Map<string, string>();
    for (const deliveryId of deliveryIds) {
      const id = this.newId();
      ids.push(id);
      duplicateOf.push(deliveryId === null ? null : (log.findByDeliveryId(deliveryId) ?? seen.get(deliveryId) ?? null));
      if (deliveryId !== null && !seen.has(deliveryId)) seen.set(deliveryId, id);
    }
    return { ids, duplicateOf };
  }

  /**
   * The captures of an import already committed, a bounded number of reads at a time: each read
   * opens its segment, and an import of tens of thousands read at once ran out of file descriptors.
   */
  private async readRetried(log: CaptureLog, ids: string[]): Promise<StoredCapture[]> {
    const found: StoredCapture[] = [];
    for (let at = 0; at < ids.length; at += RETRY_READS) {
      const read = await Promise.all(ids.slice(at, at + RETRY_READS).map((id) => log.read(id)));
      for (const capture of read) if (capture !== null) found.push(capture);
    }
    return found;
  }

  async list(endpointId: string, options: ListOptions): Promise<CapturePage> {
    const log = this.requireLog(endpointId);
    if (!options.query) return log.list(options);
    return queryLog(log, options.query, options.limit, options.before);
  }

  async listAfter(endpointId: string, cursor: string | undefined, limit: number): Promise<CaptureSummary[]> {
    return this.requireLog(endpointId).listAfter(cursor, limit);
  }

  async readAfter(endpointId: string, cursor: string | undefined, limit: number, maxBytes: number): Promise<StoredCapture[]> {
    return this.requireLog(endpointId).readAfter(cursor, limit, maxBytes);
  }

  async readRawAfter(endpointId: string, cursor: string | undefined, limit: number, maxBytes: number): Promise<RawCapture[]> {
    return this.requireLog(endpointId).readRawAfter(cursor, limit, maxBytes);
  }

  async rawPlacesAfter(endpointId: string, cursor: string | undefined, limit: number, maxBytes: number): Promise<RawPlaces> {
    return this.requireLog(endpointId).rawPlacesAfter(cursor, limit, maxBytes);
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
      if (log.has(id)) return (await this.writing(log.delete(id))) ? endpointId : null;
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
    if (!log || !(await this.writing(log.addReplay(captureId, attempt)))) throw new NotFoundError(`no capture with id ${captureId}`);
  }

  /** Writes after close() would go to closed files: they reject, as the Store contract says. */
  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the store is closed');
  }

  private target(endpointId: string): { log: CaptureLog; endpoint: Endpoint } {
    const log = this.logs.get(endpointId);
    const endpoint = this.endpointById.get(endpointId);
    if (!log || !endpoint) throw new NotFoundError(`no endpoint with id ${endpointId}`);
    return { log, endpoint };
  }

  /** Tracks whether writes succeed: a full disk or an I/O error makes the store not ready until one does. */
  private async writing<T>(write: Promise<T>): Promise<T> {
    try {
      const result = await write;
      this.writeProblem = null;
      return result;
    } catch (error) {
      if (error instanceof StoreFullError || error instanceof StoreWriteError) this.writeProblem = error;
      throw error;
    }
  }

  /** Writes and syncs 64 KiB beside the data: succeeds again once the disk has room. */
  private async probe(): Promise<void> {
    const file = join(this.options.dir, '.write-probe');
    try {
      const handle = await open(file, 'w', 0o600);
      try {
        await handle.writeFile(Buffer.alloc(64 * 1024));
        await handle.datasync();
      } finally {
        await handle.close();
      }
      this.writeProblem = null;
    } catch {
      // still failing
    } finally {
      await unlink(file).catch(() => undefined);
    }
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

  private async openLog(endpoint: Endpoint, inspection: LogInspection | undefined): Promise<void> {
    const dir = join(this.options.dir, 'captures', endpoint.id);
    const options = { dir, where: `captures/${endpoint.id}`, limits: this.limits, warn: this.warn, intern: this.intern };
    const empty: LogInspection = { segments: [], findings: [], cut: null, leftovers: [], unsealed: null, captures: 0, bytes: 0 };
    this.logs.set(endpoint.id, await CaptureLog.open(options, inspection ?? empty, endpoint.retention.maxCaptures));
  }

  /** Serializes changes to endpoints.json; the in-memory copy changes only once the file has. */
  private changeEndpoints<T>(change: (endpoints: Endpoint[]) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const run = this.endpointWrites.then(async () => {
      const draft = [...this.db.data.endpoints];
      const result = await change(draft);
      const previous = this.db.data;
      this.db.data = { endpoints: draft };
      try {
        await this.writing(this.db.write());
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
