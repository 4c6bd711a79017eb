import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createApp } from './app';
import { buildEndpoint } from './api/endpoint-config';
import type { Config } from './config';
import { ConflictError } from './errors';
import { createMetrics } from './metrics';
import { createReplayServices, type ReplayServices, type ReplayServicesOptions } from './replay/services';
import { LowdbStore } from './store/lowdb-store';
import { PostgresStore } from './store/postgres/postgres-store';
import type { Store } from './store/store';
import { LocalHub, type Hub } from './stream/hub';
import { PgHub } from './stream/pg-hub';
import { attachStream, type StreamOptions, type StreamServer } from './stream/stream-server';
import { InFlight } from './ingest/in-flight';
import { IngestLimits } from './ingest/ingest-limits';
import { HELD_PER_BODY_BYTE } from './ingest/memory-budget';
import { createIngestMetrics } from './ingest/ingest-metrics';
import { resolveToken } from './token';
import { silentLogger, type Logger } from './logging/logger';
import { packagePath } from './package-files';
import { FileAlertLedger, type AlertLedger } from './alerts/alert-ledger';
import { AlertService, type AlertServiceDeps } from './alerts/alert-service';
import { PgAlertLedger } from './alerts/pg-alert-ledger';

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  token: string;
  store: Store;
  hub: Hub;
  http: Server;
  stream: StreamServer;
  /** Replay, bulk replay and forward rules. */
  replay: ReplayServices;
  /** Endpoint alerts (counting, silence, sending). */
  alerts: AlertService;
  /** The public ingest's memory budget, per-peer upload cap and rate limits. */
  limits: IngestLimits;
  /** Stops accepting, lets in-flight requests finish, then closes the store. */
  close(): Promise<void>;
}

export interface ServeOptions {
  config: Config;
  now?: () => number;
  /** Where everything the server says goes (access lines, warnings, errors); silent when not given. */
  logger?: Logger;
  /** Overrides the store the config names (tests, other store kinds). */
  store?: Store;
  hub?: Hub;
  /** Stream tuning (buffer bound, heartbeat), mostly for tests. */
  stream?: Partial<Pick<StreamOptions, 'maxBufferedBytes' | 'heartbeatMs' | 'authTimeoutMs'>>;
  /** Replay/forward tuning (DNS resolver, signing clock, forward backoff, import threads), mostly for tests. */
  replay?: Partial<Pick<ReplayServicesOptions, 'resolver' | 'clock' | 'forwardBackoffMs' | 'transferThreads'>>;
  /** Alert tuning (silence check interval, retry delays), mostly for tests. */
  alerts?: Partial<Pick<AlertServiceDeps, 'tickMs' | 'retryDelaysMs' | 'timeoutMs'>>;
  /** [0, 1) for response rules with a failure `rate`. */
  random?: () => number;
}

export const DEFAULT_WEB_DIR = packagePath('dist/web');

/** Opens the store, makes sure an endpoint exists, and listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger();
  const metrics = createMetrics();
  const opened = options.store ?? (await openStore(config, logger));
  const hub = options.hub ?? (await openHub(opened, logger));
  const store = metrics.instrumentStore(opened);
  const { token } = await resolveToken(config.data, config.token);
  if ((await store.listEndpoints()).length === 0) {
    // Instances sharing a database may start together: one of them creates it.
    await store.createEndpoint(buildEndpoint('default', {}, now())).catch((error: unknown) => {
      if (!(error instanceof ConflictError)) throw error;
    });
  }

  const replay = createReplayServices({ store, hub, replayAllow: config.replayAllow, publicUrl: config.publicUrl, now, logger, ...options.replay });
  const alertLedger: AlertLedger = opened instanceof PostgresStore ? new PgAlertLedger(opened.db) : await FileAlertLedger.open(config.data);
  const alerts = new AlertService({ store, hub, sender: replay.sender, ledger: alertLedger, now, logger, ...options.alerts });
  await alerts.start();
  const inFlight = new InFlight();
  const ingestMetrics = createIngestMetrics(metrics.registry);
  const limits = new IngestLimits({ memoryBudget: config.ingestMemoryBudget, perBodyByte: HELD_PER_BODY_BYTE[config.store], peerUploads: config.ingestPeerUploads, now, observer: ingestMetrics.observer });
  ingestMetrics.watch(limits);
  const app = createApp({
    store, hub, token, bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, now, logger, webDir: DEFAULT_WEB_DIR,
    replay, onStored: replay.forwarder.onStored, proxy: replay.proxy, metrics, inFlight, alertLedger, random: options.random, limits,
  });
  const http = createServer(
    { headersTimeout: config.headersTimeoutMs, requestTimeout: config.requestTimeoutMs, keepAliveTimeout: 5000, connectionsCheckingInterval: 1000 },
    app,
  );
  http.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));
  const stream = attachStream(http, { store, hub, token, ...options.stream });
  metrics.watch({ streamClients: () => stream.clients, forwardQueue: () => replay.forwarder.pending });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  // Only a store this process owns alone: instances sharing a database would each resume the
  // deliveries the others still hold in their queues.
  if (opened instanceof LowdbStore) void replay.forwarder.resume().then(
    (count) => count > 0 && logger.info({ count }, `forward rules: resuming ${count} unsettled deliveries`),
    (error: unknown) => logger.error({ err: error }, 'forward rules: resuming unsettled deliveries failed'),
  );
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      // Keep-alive connections become idle as their in-flight request finishes: close them then.
      const idle = setInterval(() => http.closeIdleConnections(), 50);
      http.closeIdleConnections();
      await stream.close();
      const force = setTimeout(() => http.closeAllConnections(), 10_000);
      await stopped;
      await inFlight.idle(); // handlers whose sender hung up may still be storing
      clearInterval(idle);
      clearTimeout(force);
      await alerts.close();
      await replay.close();
      await hub.close();
      await store.close();
    })();
    return closing;
  };
  return { url: `http://${shownHost}:${port}`, port, token, store, hub, http, stream, replay, alerts, limits, close };
}

async function openStore(config: Config, logger: Logger): Promise<Store> {
  if (config.store === 'postgres') {
    return PostgresStore.open({
      connectionString: config.databaseUrl as string, max: config.databasePoolMax,
      connectTimeoutMs: config.databaseTimeoutMs, statementTimeoutMs: config.databaseTimeoutMs, logger,
    });
  }
  return LowdbStore.open({ dir: config.data, logger });
}

/** Instances sharing a PostgreSQL store share events through it; otherwise one process is all. */
async function openHub(store: Store, logger: Logger): Promise<Hub> {
  if (store instanceof PostgresStore) return PgHub.start({ feed: store, connectionString: store.connectionString, logger });
  return new LocalHub(logger);
}

/** Malformed requests, oversize header sets and slow clients get a JSON error, never a crash. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || (error.code === 'ECONNRESET')) {
    socket.destroy();
    return;
  }
  const [status, text, message] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'the request headers are too large']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'the request took too long to arrive']
    : [400, 'Bad Request', 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
