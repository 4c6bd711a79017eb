import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  clientMessageSchema, STREAM_CLOSE_BAD_MESSAGE, STREAM_CLOSE_TOO_SLOW, STREAM_CLOSE_UNAUTHORIZED, type ServerMessage,
} from '../../shared/stream';
import { tokenMatches } from '../api/auth';
import { memoByIdentity } from '../memo-by-identity';
import type { Store } from '../store/store';
import { type Hub } from './hub';
import { StreamSession } from './stream-session';

export interface StreamOptions {
  store: Store;
  hub: Hub;
  token: string;
  /** A consumer whose unsent data passes this is disconnected (it resumes from its cursor), bytes. */
  maxBufferedBytes?: number;
  /** Ping interval; a peer that missed the previous pong is dropped, ms. */
  heartbeatMs?: number;
  /** Time allowed to send the auth message, ms. */
  authTimeoutMs?: number;
}

export interface StreamServer {
  /** Number of authenticated connections. */
  readonly clients: number;
  close(): Promise<void>;
}

/** WebSocket stream at `/api/stream` (see shared/stream.ts for the protocol). */
export function attachStream(server: Server, options: StreamOptions): StreamServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sessions = new Set<StreamSession>();
  const heartbeatMs = options.heartbeatMs ?? 30_000;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node drops the socket's error listener when it emits 'upgrade': a client reset must not crash us.
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/api/stream') {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"no WebSocket here; use /api/stream"}');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  };
  server.on('upgrade', onUpgrade);

  function accept(ws: WebSocket): void {
    let alive = true;
    let session: StreamSession | null = null;
    const authTimer = setTimeout(() => ws.close(STREAM_CLOSE_UNAUTHORIZED, 'no auth message'), options.authTimeoutMs ?? 10_000);
    const heartbeat = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, heartbeatMs);
    ws.on('pong', () => (alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(authTimer);
      clearInterval(heartbeat);
      if (session) {
        session.dispose();
        sessions.delete(session);
      }
    });
    ws.on('message', (data, isBinary) => {
      alive = true;
      let message;
      try {
        message = clientMessageSchema.parse(JSON.parse(isBinary ? '' : data.toString()));
      } catch {
        ws.close(STREAM_CLOSE_BAD_MESSAGE, 'malformed message');
        return;
      }
      if (!session) {
        if (message.type !== 'auth' || !tokenMatches(options.token, message.token)) {
          ws.close(STREAM_CLOSE_UNAUTHORIZED, 'bad token');
          return;
        }
        clearTimeout(authTimer);
        session = new StreamSession({
          store: options.store,
          hub: options.hub,
          send: (msg: ServerMessage, live: boolean) => sendBounded(ws, msg, options.maxBufferedBytes ?? 4 * 1024 * 1024, live),
        });
        sessions.add(session);
        session.send({ type: 'ready' });
        return;
      }
      session.handle(message);
    });
  }

  return {
    get clients() {
      return sessions.size;
    },
    async close() {
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Sends, or cuts off a consumer that stopped reading; resolves once the frame is handed to the socket. */
function sendBounded(ws: WebSocket, message: ServerMessage, maxBuffered: number, live: boolean): Promise<boolean> {
  if (ws.readyState !== ws.OPEN) return Promise.resolve(false);
  if (ws.bufferedAmount > maxBuffered) {
    ws.close(STREAM_CLOSE_TOO_SLOW, 'consumer too slow; reconnect and resume from your cursor');
    setTimeout(() => ws.terminate(), 1000).unref();
    return Promise.resolve(false);
  }
  if (live) corkUntilNextTick(ws);
  return new Promise((resolve) => ws.send(serialize(message), (error) => resolve(!error)));
}

const corked = new WeakSet<WebSocket>();

/**
 * A store batch publishes its captures in one run of microtasks: holding the socket's writes
 * until that run ends sends them all with one syscall per subscriber instead of one per message.
 */
function corkUntilNextTick(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket?: Duplex })._socket; // ws keeps its net.Socket here
  if (!socket || corked.has(ws)) return;
  corked.add(ws);
  socket.cork();
  process.nextTick(() => {
    corked.delete(ws);
    socket.uncork();
  });
}

// One hub event goes to every subscriber: serialize it once, not once per connection.
const serialize = memoByIdentity((message: ServerMessage) => JSON.stringify(message));
