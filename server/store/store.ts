import type { CaptureSummary, DeliveryAttempt, HeaderPairs, ReplayAttempt } from '../../shared/capture';
import type { Endpoint } from '../../shared/endpoint';
import type { CaptureQuery } from '../../shared/query';
import type { RawCapture, RawPlaces } from './raw-capture';
import type { EncodedCaptures } from './batch-encode';

/** A capture as stored: the summary plus the exact request bytes and replay history. */
export interface StoredCapture extends CaptureSummary {
  headers: HeaderPairs;
  /** Body bytes exactly as received (empty for a rejected oversize delivery). */
  body: Buffer;
  replays: ReplayAttempt[];
}

/** What ingest hands to `append`: the store assigns the id. */
export type NewCapture = Omit<StoredCapture, 'id' | 'replays'>;

export interface ListOptions {
  limit: number;
  /** Only captures older than this capture id (next page of a newest-first list). */
  before?: string;
  /** Only captures newer than this capture id: the `limit` oldest of them, returned newest first. */
  after?: string;
  /**
   * Only captures matching this query (shared/query.ts; semantics: shared/query-match.ts), newest
   * first; `before` pages through the matches, and `nextBefore` is null exactly when no older
   * capture matches. Not combined with `after`.
   */
  query?: CaptureQuery;
}

export interface CapturePage {
  /** Newest first. */
  items: CaptureSummary[];
  /** Cursor for the next older page, or null when this page reaches the oldest capture. */
  nextBefore: string | null;
  /** Captures the endpoint holds. */
  total: number;
  /** With a query: how many captures match in all, when the store knew it cheaply. */
  matched?: number;
}

/**
 * Where endpoints and captures live. Every implementation passes test/contract/store-contract.ts.
 * Methods reject with NotFoundError / ConflictError (server/errors.ts) as stated, with
 * StoreUnavailableError when the backing storage cannot be reached, never with anything else
 * for a valid call.
 */
export interface Store {
  /** Human-readable name for logs and /readyz (`lowdb ./data`, `postgres`). */
  readonly description: string;
  /** Resolves true when the store can take writes now. */
  ready(): Promise<boolean>;
  /** Finishes in-flight writes and releases files or connections. Further calls reject. */
  close(): Promise<void>;

  /** All endpoints, oldest first. */
  listEndpoints(): Promise<Endpoint[]>;
  /** The endpoint, or null when there is none with that id. */
  getEndpoint(id: string): Promise<Endpoint | null>;
  /** Stores a new endpoint. ConflictError when the id exists. */
  createEndpoint(endpoint: Endpoint): Promise<Endpoint>;
  /** Replaces an endpoint's config. NotFoundError when it does not exist. */
  updateEndpoint(endpoint: Endpoint): Promise<Endpoint>;
  /** Deletes an endpoint with all its captures. NotFoundError when it does not exist. */
  deleteEndpoint(id: string): Promise<void>;

  /**
   * Stores a capture durably: when the promise resolves, the capture survives a crash.
   * Assigns an id that sorts after every id already given within the endpoint, then applies
   * the endpoint's retention (oldest evicted). NotFoundError when the endpoint does not exist.
   */
  append(capture: NewCapture): Promise<StoredCapture>;
  /**
   * Stores captures of one endpoint as one atomic batch (imports): when the promise resolves all
   * of them are durable, with ids in the order given that sort after every earlier one; if it
   * rejects, or the process dies meanwhile, none of them is kept. `endpointId` replaces theirs;
   * `duplicateOf` is set from delivery ids already held or earlier in the batch. A retry with the
   * same `importId` after a commit resolves to the captures stored the first time, where the
   * store keeps import ids (lowdb does; PostgreSQL does not). Retention applies afterwards.
   * NotFoundError for an unknown endpoint.
   */
  importCaptures(endpointId: string, captures: NewCapture[], importId: string): Promise<StoredCapture[]>;
  /**
   * Optional (the embedded store has it): importCaptures for captures parsed and encoded elsewhere
   * (import worker threads). Given their delivery ids in file order, the store chooses their ids
   * and what each repeats, and writes the records `encode` makes with them (batch-encode.ts), in
   * parts as they come. The
   * same guarantees as importCaptures; resolves to the stored captures' summaries.
   */
  importEncoded?(
    endpointId: string, deliveryIds: (string | null)[], encode: (ids: string[], duplicateOf: (string | null)[]) => AsyncIterable<EncodedCaptures>, importId: string,
  ): Promise<CaptureSummary[]>;
  /** A page of an endpoint's captures, newest first. NotFoundError for an unknown endpoint. */
  list(endpointId: string, options: ListOptions): Promise<CapturePage>;
  /** Captures after `cursor` (all when absent), oldest first, at most `limit`: for catch-up. */
  listAfter(endpointId: string, cursor: string | undefined, limit: number): Promise<CaptureSummary[]>;
  /**
   * Whole captures (bodies, headers, replays) after `cursor` (all when absent), oldest first: the
   * bulk read of exports. At most `limit`, and fewer once about `maxBytes` are read (never none
   * while captures remain): an empty result means nothing is after the cursor. Captures that fail
   * their checksum reject with DamagedCaptureError. NotFoundError for an unknown endpoint.
   */
  readAfter(endpointId: string, cursor: string | undefined, limit: number, maxBytes: number): Promise<StoredCapture[]>;
  /**
   * Optional: readAfter with each capture's summary and headers as the JSON text they are stored
   * as, where the store keeps JSON (exports copy it instead of parsing and re-serializing it).
   */
  readRawAfter?(endpointId: string, cursor: string | undefined, limit: number, maxBytes: number): Promise<RawCapture[]>;
  /**
   * Optional, with readRawAfter: where those captures are, not yet read — plain data that another
   * thread reads with readRawCaptures, getting exactly what readRawAfter gives (exports in worker threads).
   */
  rawPlacesAfter?(endpointId: string, cursor: string | undefined, limit: number, maxBytes: number): Promise<RawPlaces>;
  /** Number of captures an endpoint holds (0 for an unknown endpoint). */
  count(endpointId: string): Promise<number>;
  /** The whole capture, or null. */
  get(id: string): Promise<StoredCapture | null>;
  /** Id of the first retained capture of the endpoint with this delivery id, or null. */
  findByDeliveryId(endpointId: string, deliveryId: string): Promise<string | null>;
  /**
   * The endpoint's retained captures with this delivery id, oldest first, at most `limit` (the
   * oldest ones): a delivery's first try and its retries. [] for an unknown endpoint or id.
   */
  deliveryAttempts(endpointId: string, deliveryId: string, limit: number): Promise<DeliveryAttempt[]>;
  /** Deletes one capture; resolves to its endpoint id, or null when there was none. */
  deleteCapture(id: string): Promise<string | null>;
  /** Deletes every capture of an endpoint; resolves to how many there were. */
  clearCaptures(endpointId: string): Promise<number>;
  /** Records a replay/forward attempt on a capture. NotFoundError when the capture is gone. */
  addReplayAttempt(captureId: string, attempt: ReplayAttempt): Promise<void>;
}
