import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import type { CaptureSummary, CaptureView } from '../../shared/capture';
import type { Endpoint } from '../../shared/endpoint';
import { serverMessageSchema, STREAM_CLOSE_UNAUTHORIZED, type ServerMessage } from '../../shared/stream';
import { toAttempt } from '../replay/attempt';
import { createSender, type SendOutcome } from '../replay/http-send';
import { decodeBody } from '../replay/outgoing';
import { prepareReplay } from '../replay/replay-one';
import { parseAllowList } from '../replay/target-guard';
import type { StoredCapture } from '../store/store';
import { ConfigError } from '../config';
import { ForwardApi } from './cli-api';
import type { ForwardCliOptions } from './cli-options';
import { loadState, saveState, type ForwardState } from './cli-state';

const PAUSE_AT = 1000; // queued summaries before the socket is paused (the server then buffers, and cuts us off past its bound: we resume from the cursor)
const RESUME_AT = 100;
const SILENCE_MS = 75_000; // no message nor ping for this long: the connection is dead (the server pings every 30 s)

export interface ForwardCliDeps {
  print: (line: string) => void;
  now: () => number;
}

/**
 * `hookscope forward`: delivers each capture of an endpoint to a local URL, one at a time in
 * capture order. Guarantee: at least once, in order, with no duplicate except the single capture
 * whose delivery was in flight when the process died (the state file names the last capture whose
 * delivery finished, written atomically after each one). A handler that is down (connection
 * refused, DNS) is retried until it answers; any HTTP answer, timeouts and resets included, counts
 * as delivered, because the handler may have acted on it. Captures evicted by retention before
 * they could be delivered are reported as gone.
 */
export class ForwardCli {
  private queue: { generation: number; capture: CaptureSummary }[] = [];
  private generation = 0;
  private wake: (() => void) | null = null;
  private stopping = false;
  private ws: WebSocket | null = null;
  private state!: ForwardState;
  private endpoint!: Endpoint;
  private readonly api: ForwardApi;
  private readonly sender = createSender({ policy: parseAllowList('') });
  private readonly stopController = new AbortController();

  constructor(private readonly options: ForwardCliOptions, private readonly deps: ForwardCliDeps) {
    this.api = new ForwardApi(options.base, options.token);
  }

  /** Runs until stop(): connects, reconnects with backoff, delivers. */
  async run(): Promise<void> {
    if (!(await this.setUp())) return this.sender.close();
    this.deps.print(`forwarding ${this.options.endpointUrl} → ${this.options.to} (state ${this.options.stateFile}, cursor ${this.state.cursor ?? 'start'})`);
    const worker = this.deliverLoop();
    for (let failures = 0; !this.stopping; ) {
      const connected = await this.connectOnce();
      failures = connected ? 0 : failures + 1;
      if (this.stopping) break;
      const wait = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
      this.deps.print(`disconnected; reconnecting in ${Math.round(wait / 1000)} s`);
      await sleep(wait, undefined, { signal: this.stopController.signal }).catch(() => undefined);
    }
    await worker;
    this.sender.close();
  }

  /** Finishes the delivery in flight, saves the cursor, and makes run() resolve. */
  stop(): void {
    this.stopping = true;
    this.stopController.abort();
    this.ws?.close(1000, 'forwarder stopping');
    this.wake?.();
  }

  /** Reads the endpoint and the state, retrying while Hookscope is unreachable; false when stopped first. Rejects with ConfigError when retrying cannot help. */
  private async setUp(): Promise<boolean> {
    for (let tries = 1; !this.stopping; tries += 1) {
      try {
        this.endpoint = await this.api.endpoint(this.options.endpointId);
        this.state = (await loadState(this.options.stateFile)) ?? (await this.firstState());
        return true;
      } catch (error) {
        if (error instanceof ConfigError) throw error;
        const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
        this.deps.print(`cannot reach ${this.options.base} (${cause}); retrying`);
        await sleep(Math.min(30_000, 500 * 2 ** Math.min(tries, 6)), undefined, { signal: this.stopController.signal }).catch(() => undefined);
      }
    }
    return false;
  }

  private async firstState(): Promise<ForwardState> {
    const cursor = this.options.fromStart ? null : await this.api.newestCaptureId(this.options.endpointId);
    const state = { version: 1 as const, endpointUrl: this.options.endpointUrl, to: this.options.to, cursor, updatedAt: this.deps.now() };
    await saveState(this.options.stateFile, state);
    return state;
  }

  /** One connection: auth, subscribe from the cursor, queue captures until it closes. Resolves true if it got as far as `ready`. */
  private connectOnce(): Promise<boolean> {
    const generation = ++this.generation;
    this.queue = []; // whatever was queued comes again after the cursor
    const url = `${this.options.base.replace(/^http/, 'ws')}/api/stream`;
    return new Promise((resolve) => {
      const ws = new WebSocket(url, { handshakeTimeout: 15_000 });
      this.ws = ws;
      let ready = false;
      let silence: NodeJS.Timeout | undefined;
      const alive = () => {
        clearTimeout(silence);
        silence = setTimeout(() => ws.terminate(), SILENCE_MS);
      };
      ws.on('open', () => {
        alive();
        ws.send(JSON.stringify({ type: 'auth', token: this.options.token }));
      });
      ws.on('ping', alive);
      ws.on('message', (data) => {
        alive();
        let parsed;
        try {
          parsed = serverMessageSchema.safeParse(JSON.parse(data.toString()));
        } catch {
          return; // not JSON: nothing this client understands
        }
        if (parsed.success && this.onMessage(ws, generation, parsed.data)) ready = true;
      });
      ws.on('error', (error) => this.deps.print(`connection: ${error.message}`));
      ws.on('close', (code, reason) => {
        clearTimeout(silence);
        if (code === STREAM_CLOSE_UNAUTHORIZED) {
          this.deps.print('the server refused the token; stopping');
          this.stop();
        } else if (!this.stopping && reason.length > 0) this.deps.print(`connection closed: ${reason.toString()}`);
        resolve(ready);
      });
    });
  }

  /** Handles one stream message; true for `ready` (the token was accepted). */
  private onMessage(ws: WebSocket, generation: number, m: ServerMessage): boolean {
    if (m.type === 'ready') {
      ws.send(JSON.stringify({ type: 'subscribe', subscriptions: [{ endpointId: this.options.endpointId, ...(this.state.cursor && { cursor: this.state.cursor }) }] }));
      return true;
    }
    if (m.type === 'capture' && m.capture.endpointId === this.options.endpointId) {
      this.queue.push({ generation, capture: m.capture });
      if (this.queue.length >= PAUSE_AT) ws.pause();
      this.wake?.();
    } else if (m.type === 'caught-up') {
      this.deps.print('caught up; waiting for new deliveries');
    } else if (m.type === 'endpoint-deleted' && m.endpointId === this.options.endpointId) {
      this.deps.print('the endpoint was deleted; stopping');
      this.stop();
    } else if (m.type === 'error') {
      this.deps.print(`server: ${m.message}`);
    }
    return false;
  }

  private async deliverLoop(): Promise<void> {
    while (!this.stopping) {
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      if (this.queue.length <= RESUME_AT && this.ws?.isPaused) this.ws.resume();
      if (next.generation !== this.generation) continue; // from a closed connection: it comes again after the cursor
      if (this.state.cursor !== null && next.capture.id <= this.state.cursor) continue;
      try {
        await this.handle(next.capture);
      } catch (error) {
        // Hookscope unreachable mid-delivery (or the state file unwritable): start over from the cursor.
        this.deps.print(`${next.capture.id}: ${(error as Error).message}; resuming from the cursor`);
        this.queue = [];
        this.ws?.terminate();
        await sleep(1000, undefined, { signal: this.stopController.signal }).catch(() => undefined);
      }
    }
  }

  private wanted(capture: CaptureSummary): string | null {
    if (!this.options.includeRejected && capture.reply.rejected !== undefined) return `refused by Hookscope (${capture.reply.status})`;
    if (this.options.methods.length > 0 && !this.options.methods.some((m) => m.toUpperCase() === capture.method)) return `method ${capture.method}`;
    const event = capture.verdicts.schema.eventType;
    if (this.options.events.length > 0 && !(event && this.options.events.includes(event))) return `event ${event ?? 'unknown'}`;
    return null;
  }

  private async handle(summary: CaptureSummary): Promise<void> {
    const skip = this.wanted(summary);
    const view = skip === null ? await this.api.capture(summary.id) : null;
    if (skip !== null || view === null) {
      this.deps.print(`${summary.id} ${summary.method} ${summary.path || '/'} skipped: ${skip ?? 'gone (deleted or evicted)'}`);
      return this.advance(summary.id);
    }
    const outcome = await this.deliver(view);
    if (outcome === null) return; // stopping before it went out: the cursor stays, it goes next time
    await this.advance(summary.id); // first: a crash now must not deliver it again
    const attempt = toAttempt(outcome, 'cli');
    const shown = attempt.status !== undefined ? String(attempt.status) : `error: ${attempt.error}`;
    this.deps.print(`${summary.id} ${view.method} ${view.path || '/'} → ${shown} in ${Math.round(attempt.durationMs)} ms`);
    const { id: _id, kind: _kind, ...reported } = attempt;
    await this.api.report(summary.id, reported).catch((error: unknown) => this.deps.print(`could not report the result: ${(error as Error).message}`));
  }

  /** Sends until the handler answers (or the error shows it may have seen the request); null when stopped first. */
  private async deliver(view: CaptureView): Promise<SendOutcome | null> {
    const capture = { ...view, body: decodeBody(view.body) } as unknown as StoredCapture;
    const resign = this.options.resign ? { secret: this.options.resign } : undefined;
    const outgoing = prepareReplay(capture, this.endpoint, { url: this.options.to, appendPath: this.options.appendPath, headers: this.options.headers, resign });
    for (let tries = 1; ; tries += 1) {
      const outcome = await this.sender.send(outgoing, { timeoutMs: this.options.timeoutMs });
      if (outcome.errorKind !== 'refused' && outcome.errorKind !== 'dns') return outcome;
      const wait = Math.min(10_000, 250 * 2 ** Math.min(tries, 6));
      if (tries === 1 || tries % 10 === 0) this.deps.print(`${view.id}: ${outcome.error}; retrying every ${Math.round(wait / 1000)} s until ${this.options.to} answers`);
      await sleep(wait, undefined, { signal: this.stopController.signal }).catch(() => undefined);
      if (this.stopping) return null;
    }
  }

  private async advance(captureId: string): Promise<void> {
    this.state = { ...this.state, cursor: captureId, updatedAt: this.deps.now() };
    await saveState(this.options.stateFile, this.state);
  }
}
