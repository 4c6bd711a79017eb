import { WebSocket } from 'ws';
import { serverMessageSchema, type ClientMessage, type ServerMessage } from '../../shared/stream';

export interface StreamClient {
  ws: WebSocket;
  messages: ServerMessage[];
  send(message: ClientMessage): void;
  /** Resolves with the first message (past or future) matching, or rejects after `timeoutMs`. */
  waitFor<T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  /** Captures received, in order. */
  captureIds(): string[];
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** A real `ws` client of /api/stream; every message is parsed with the shared schema. */
export async function connectStream(baseUrl: string, token?: string): Promise<StreamClient> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/stream`);
  const messages: ServerMessage[] = [];
  const waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  ws.on('message', (data) => {
    const message = serverMessageSchema.parse(JSON.parse(data.toString()));
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const client: StreamClient = {
    ws,
    messages,
    send: (message) => ws.send(JSON.stringify(message)),
    waitFor: ((match: (m: ServerMessage) => boolean, timeoutMs = 5000) => {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise<ServerMessage>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching stream message within ${timeoutMs} ms; got ${messages.length} messages`)), timeoutMs);
        waiters.push({ match, resolve: (m) => { clearTimeout(timer); resolve(m); } });
      });
    }) as StreamClient['waitFor'],
    captureIds: () => messages.flatMap((m) => (m.type === 'capture' ? [m.capture.id] : [])),
    closed,
    close: () => ws.close(),
  };
  if (token !== undefined) {
    client.send({ type: 'auth', token });
    await client.waitFor((m) => m.type === 'ready');
  }
  return client;
}
