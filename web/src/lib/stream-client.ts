import {
  serverMessageSchema, STREAM_CLOSE_UNAUTHORIZED, type ClientMessage, type ServerMessage,
} from '../../../shared/stream';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface StreamClientOptions {
  /** ws:// or wss:// URL of `/api/stream`. */
  url: string;
  token: string;
  /** Last capture id the client holds for an endpoint: resume point after a (re)connect. */
  cursorOf: (endpointId: string) => string | undefined;
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: StreamStatus) => void;
  /** The server refused the token (close code 4401). */
  onUnauthorized: () => void;
  createSocket?: (url: string) => WebSocket;
  /** App-level ping interval; a missing pong within `pingTimeoutMs` drops the socket, ms. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
}

const OPEN = 1; // WebSocket.OPEN
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 15_000;

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with ±20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const plain = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(plain * (0.8 + 0.4 * random()));
}

/**
 * The live stream: authenticates, subscribes to endpoints with their cursors, and after any
 * drop reconnects with exponential backoff and resubscribes from the cursors, so the server
 * sends exactly what was missed (see shared/stream.ts).
 */
export class StreamClient {
  private socket: WebSocket | null = null;
  private endpoints = new Set<string>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  private stopped = false;
  private status: StreamStatus = 'connecting';

  constructor(private readonly options: StreamClientOptions) {}

  start(): void {
    this.stopped = false;
    globalThis.addEventListener?.('online', this.reconnectNow);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    globalThis.removeEventListener?.('online', this.reconnectNow);
    clearTimeout(this.retryTimer);
    this.dropSocket();
  }

  /** Adds endpoints to follow; subscribes at once when connected. */
  follow(endpointIds: string[]): void {
    const added = endpointIds.filter((id) => !this.endpoints.has(id));
    for (const id of added) this.endpoints.add(id);
    if (this.ready && added.length > 0) this.subscribe(added);
  }

  unfollow(endpointId: string): void {
    if (!this.endpoints.delete(endpointId)) return;
    if (this.ready) this.send({ type: 'unsubscribe', endpointIds: [endpointId] });
  }

  private connect(): void {
    this.setStatus(this.attempt === 0 && this.status === 'connecting' ? 'connecting' : 'reconnecting');
    const socket = (this.options.createSocket ?? ((url) => new WebSocket(url)))(this.options.url);
    this.socket = socket;
    socket.onopen = () => this.send({ type: 'auth', token: this.options.token });
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.dropSocket();
      if (event.code === STREAM_CLOSE_UNAUTHORIZED) {
        this.stopped = true;
        this.setStatus('offline');
        this.options.onUnauthorized();
        return;
      }
      this.scheduleReconnect();
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: ServerMessage;
    try {
      message = serverMessageSchema.parse(JSON.parse(data));
    } catch {
      return; // a message this build does not know: ignore rather than break the stream
    }
    clearTimeout(this.pongTimer);
    if (message.type === 'ready') {
      this.ready = true;
      this.attempt = 0;
      this.setStatus('live');
      this.startPing();
      if (this.endpoints.size > 0) this.subscribe([...this.endpoints]);
      return;
    }
    if (message.type === 'pong') return;
    this.options.onMessage(message);
  }

  private subscribe(endpointIds: string[]): void {
    for (let i = 0; i < endpointIds.length; i += 1000) {
      const subscriptions = endpointIds.slice(i, i + 1000).map((endpointId) => {
        const cursor = this.options.cursorOf(endpointId);
        return cursor === undefined ? { endpointId } : { endpointId, cursor };
      });
      this.send({ type: 'subscribe', subscriptions });
    }
  }

  private startPing(): void {
    const interval = this.options.pingIntervalMs ?? 20_000;
    const timeout = this.options.pingTimeoutMs ?? 10_000;
    this.pingTimer = setInterval(() => {
      this.send({ type: 'ping' });
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => this.socket?.close(), timeout);
    }, interval);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const online = typeof navigator === 'undefined' || navigator.onLine !== false;
    this.setStatus(online ? 'reconnecting' : 'offline');
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private readonly reconnectNow = () => {
    if (this.stopped || this.ready) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.dropSocket();
    this.connect();
  };

  private dropSocket(): void {
    this.ready = false;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      if (socket.readyState <= OPEN) socket.close();
    }
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private setStatus(status: StreamStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}

/** `/api/stream` on the page's own host. */
export function streamUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/stream`;
}
