import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { Endpoint } from '../../shared/endpoint';
import { SKIPPED_SCHEMA } from '../../shared/verdicts';
import { summaryOf } from '../store/capture-record';
import type { Store, StoredCapture } from '../store/store';
import type { Hub } from '../stream/hub';
import { validateDelivery } from '../validate';
import { eventTypeOf } from '../validate/event-type';
import { peekParsedBody } from '../validate/parse-body';
import { jsonSearchText, rememberBodySearchText, searchTextSharesJsonParse } from '../delivery/search-text';
import { answerHandshake, createVerifyContext, verifyDelivery, type HandshakeAnswer, type VerifyContext } from '../verify';
import { newCapture, splitIngestUrl } from './capture';
import { headerPairs, type RawDelivery } from '../delivery/raw-delivery';
import { deliveryIdOf } from './dedupe';
import type { InFlight } from './in-flight';
import type { Admission, IngestLimits, Upload } from './ingest-limits';
import { SMALL_BODY } from './memory-budget';
import { bytesToReserve, declaredLength, readBody } from './read-body';
import { sendProxiedAnswer, type ProxyForwarder } from '../forward/proxy';
import { buildReply, decideReply, type Reply } from './reply';
import { noteCapture } from '../access-log';
import { applyRules, sendRuleAnswer } from './rule-step';

export interface IngestDeps {
  store: Store;
  hub: Hub;
  bodyLimit: number; // bytes
  now: () => number;
  /** Called after a delivery is stored and published (forward rules hook in here). */
  onStored?: (capture: StoredCapture, endpoint: Endpoint) => void;
  /** Handlers still running, awaited at shutdown. */
  inFlight?: InFlight;
  /** Proxy-mode forward rules: asked before storing, its answer (if any in time) becomes the reply. */
  proxy?: ProxyForwarder;
  /** [0, 1) for response rules with a failure `rate` (tests make it predictable); Math.random by default. */
  random?: () => number;
  /** Memory budget, per-peer upload cap and rate limits of the public ingest. */
  limits: IngestLimits;
}

/**
 * `ANY /h/:endpointId[/*]`: capture → verify → validate → dedupe → store → publish → respond.
 * The reply is sent only once the store has made the capture durable.
 */
export function createIngestHandler(deps: IngestDeps): RequestHandler {
  const handle = ingest(deps);
  return (req, res) => (deps.inFlight ? deps.inFlight.track(handle(req, res)) : handle(req, res));
}

function ingest(deps: IngestDeps): (req: Request, res: Response) => Promise<void> {
  const verifyContext = createVerifyContext({ now: deps.now }); // parsed keys and JWKS cached for the app's life
  /** An admitted upload: read, judged, stored and answered while its reservation is held. */
  const receive = async (req: Request, res: Response, endpoint: Endpoint, upload: Upload, receivedAt: number) => {
    const { endpointId, path, query } = splitIngestUrl(req.originalUrl);
    const read = await readBody(req, deps.bodyLimit, upload.reservation);
    const delivery = toDelivery(req, endpointId, path, query, read.ok ? read.body : Buffer.alloc(0), receivedAt);
    if (!read.ok && read.reason === 'over-budget') return rejectBusy(deps, delivery, endpoint, deps.limits.refuseGrown(read.size), read.size, res);
    if (!read.ok) return rejectOversize(deps, delivery, endpoint, read.size, res);
    const handshake = answerHandshake(delivery, endpoint.verify);
    if (handshake) return answerSubscription(deps, delivery, endpoint, handshake, res);

    const judged = await judge(deps, delivery, endpoint, verifyContext);
    const ruled = await applyRules(deps.store, delivery, endpoint, judged, decideReply(endpoint, judged.verdicts), deps.random ?? Math.random);
    const { reply, answer } = ruled;
    const proxied = deps.proxy && reply.rejected === undefined && answer.kind === 'endpoint' && endpoint.forward?.mode === 'proxy' ? await deps.proxy.forward(delivery, endpoint) : null;
    const kept = proxied?.answer ? { status: proxied.answer.status } : reply; // the capture records the reply actually sent
    const rule = answer.kind === 'endpoint' ? null : answer.rule;
    const stored = await store(deps, { ...newCapture(delivery, kept), ...ruled.judged, rule }, endpoint, res);
    if (proxied && deps.proxy) {
      void deps.proxy.record(stored, proxied.attempt); // after the reply: the capture itself is already durable
      if (proxied.answer) return sendProxiedAnswer(res, proxied.answer, req.method === 'HEAD');
    }
    if (answer.kind !== 'endpoint') return sendRuleAnswer(res, endpoint, stored.id, answer, judged.verdicts, (r) => send(res, r, req.method === 'HEAD'));
    if (reply.rejected === undefined && endpoint.response.delayMs > 0) await sleep(endpoint.response.delayMs);
    send(res, buildReply(endpoint, stored.id, reply, judged.verdicts), req.method === 'HEAD');
  };

  return async (req, res) => {
    const receivedAt = deps.now();
    const { endpointId, path, query } = splitIngestUrl(req.originalUrl);
    const endpoint = await deps.store.getEndpoint(endpointId);
    if (!endpoint) {
      req.resume();
      res.status(404).json({ error: `no endpoint with id "${endpointId}"; create one with POST /api/endpoints or use /h/default` });
      return;
    }
    const rate = deps.limits.takeRate(endpoint.id, endpoint.rateLimit);
    if (!rate.ok) return rejectRateLimited(req, res, endpoint, rate.retryAfterSec);
    const admitted = deps.limits.admit(peerOf(req), bytesToReserve(req, deps.bodyLimit));
    if (!admitted.ok) {
      req.resume(); // the body is discarded as it arrives
      return rejectBusy(deps, toDelivery(req, endpointId, path, query, Buffer.alloc(0), receivedAt), endpoint, admitted, declaredLength(req) ?? 0, res);
    }
    try {
      await receive(req, res, endpoint, admitted.upload, receivedAt);
    } finally {
      admitted.upload.release(); // success, error, client gone or timed out alike
    }
  };
}

/** verify → validate → dedupe: what the capture records about the delivery's authenticity and shape. */
async function judge(deps: IngestDeps, delivery: RawDelivery, endpoint: Endpoint, verifyContext: VerifyContext) {
  const signature = await verifyDelivery(delivery, endpoint.verify, verifyContext);
  const schema = validateDelivery(delivery, endpoint.schema);
  const deliveryId = deliveryIdOf(delivery);
  const duplicateOf = deliveryId === null ? null : await deps.store.findByDeliveryId(endpoint.id, deliveryId);
  const eventType = eventTypeOf(delivery, schema);
  shareParsedBody(delivery);
  return { verdicts: { signature, schema }, deliveryId, duplicateOf, eventType };
}

/**
 * When the checks above parsed a JSON body and the store's search text would parse the very same
 * text, the search text is made from that parse (the store finds it by the body's Buffer) rather
 * than the body being parsed again while it is stored.
 */
function shareParsedBody(delivery: RawDelivery): void {
  const parsed = peekParsedBody(delivery);
  if (parsed?.kind !== 'json' || !searchTextSharesJsonParse(delivery.headers, delivery.body)) return;
  rememberBodySearchText(delivery.body, jsonSearchText(parsed.value));
}

/** 413: the attempt is recorded (its size, not its body) and the connection closed. */
async function rejectOversize(deps: IngestDeps, delivery: RawDelivery, endpoint: Endpoint, size: number, res: Response): Promise<void> {
  const rejected = `body of ${size} bytes is over the limit of ${deps.bodyLimit} bytes; it was not kept`;
  const stored = await store(deps, { ...newCapture(delivery, { status: 413, rejected }), size }, endpoint, res);
  res.set('connection', 'close');
  res.status(413).json({ error: rejected, id: stored.id });
}

/** 503 + Retry-After (no room to hold the body now): the attempt is recorded with its size, not its body. */
async function rejectBusy(deps: IngestDeps, delivery: RawDelivery, endpoint: Endpoint, refusal: Admission & { ok: false }, size: number, res: Response): Promise<void> {
  const stored = await store(deps, { ...newCapture(delivery, { status: 503, rejected: refusal.message }), size }, endpoint, res);
  res.set('retry-after', String(refusal.retryAfterSec));
  closeUnlessSmall(res.req, res);
  res.status(503).json({ error: refusal.message, id: stored.id });
}

/**
 * A refused large body (or one of unknown length) is not read to its end just to be dropped: the
 * connection closes after the answer. A small one is drained so the connection can be reused.
 */
function closeUnlessSmall(req: Request, res: Response): void {
  if ((declaredLength(req) ?? Infinity) > SMALL_BODY) res.set('connection', 'close');
}

/** 429 + Retry-After: over the endpoint's rate limit; counted (IngestLimits), not stored. */
function rejectRateLimited(req: Request, res: Response, endpoint: Endpoint, retryAfterSec: number): void {
  req.resume();
  const limit = endpoint.rateLimit;
  res.set('retry-after', String(retryAfterSec));
  closeUnlessSmall(req, res);
  res.status(429).json({ error: `endpoint ${endpoint.id} is over its rate limit (${limit?.perSecond ?? 0}/s, burst ${limit?.burst ?? 0}); retry in ${retryAfterSec} s` });
}

/** The GET subscription handshake (`hub.challenge`): recorded, then answered with the challenge or 403. */
async function answerSubscription(deps: IngestDeps, delivery: RawDelivery, endpoint: Endpoint, handshake: HandshakeAnswer, res: Response): Promise<void> {
  const answered = { status: handshake.status, ...(handshake.status !== 200 && { rejected: handshake.verdict.reason }) };
  const stored = await store(deps, { ...newCapture(delivery, answered), verdicts: { signature: handshake.verdict, schema: SKIPPED_SCHEMA } }, endpoint, res);
  const headers = { 'content-type': handshake.contentType, 'x-content-type-options': 'nosniff', 'x-hookscope-capture': stored.id };
  send(res, { status: handshake.status, headers, body: handshake.body }, false);
}

async function store(deps: IngestDeps, capture: Parameters<Store['append']>[0], endpoint: Endpoint, res: Response): Promise<StoredCapture> {
  const stored = await deps.store.append(capture);
  const summary = summaryOf(stored);
  noteCapture(res, summary); // for the access line
  void deps.hub.publish({ type: 'capture', capture: summary });
  deps.onStored?.(stored, endpoint);
  return stored;
}

/** The sender's address as recorded (X-Forwarded-For only with --trust-proxy). */
function peerOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? '';
}

function toDelivery(req: Request, endpointId: string, path: string, query: string, body: Buffer, receivedAt: number): RawDelivery {
  return {
    endpointId,
    method: req.method,
    path,
    query,
    url: `${req.protocol}://${req.host ?? 'localhost'}${req.originalUrl}`,
    headers: headerPairs(req.rawHeaders),
    peer: peerOf(req),
    body,
    receivedAt,
  };
}

function send(res: Response, reply: Reply, head: boolean): void {
  res.status(reply.status);
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  if (head) res.end();
  else res.end(reply.body);
}
