import type { HeaderPairs } from '../../shared/capture';
import { verdictsSchema, SKIPPED_SCHEMA, SKIPPED_SIGNATURE, type Verdicts } from '../../shared/verdicts';
import { utf8OrNull } from '../delivery/body-text';
import { headerValue } from '../delivery/raw-delivery';
import type { NewCapture, StoredCapture } from '../store/store';
import type { HarEntry } from './har-schema';
import { completeImported } from './imported-event-type';

/** Hookscope's own fields on a HAR entry (custom fields start with `_`, HAR 1.2 §custom fields). */
interface HookscopeExtra {
  id: string;
  endpointId: string;
  /** Raw sub-path and query: the URL parser would normalise them, these stay byte-exact. */
  path: string;
  query: string;
  peer: string;
  receivedAt: number; // ms since epoch
  reply: StoredCapture['reply'];
  verdicts: Verdicts;
  deliveryId: string | null;
  duplicateOf: string | null;
  eventType: string | null;
}

const HTTP_VERSION = 'HTTP/1.1';

/**
 * A capture as a HAR 1.2 entry. HAR has no encoding field for request bodies, so a body that is
 * not valid UTF-8 goes in `postData.text` as base64 with `_encoding: "base64"` (the spelling
 * `response.content.encoding` uses); Hookscope's fields ride in `_hookscope`.
 */
export function harEntryOf(capture: StoredCapture, baseUrl: string): HarEntry {
  const search = capture.query ? `?${capture.query}` : '';
  const text = utf8OrNull(capture.body);
  const extra: HookscopeExtra = {
    id: capture.id, endpointId: capture.endpointId, path: capture.path, query: capture.query, peer: capture.peer,
    receivedAt: capture.receivedAt, reply: capture.reply, verdicts: capture.verdicts, deliveryId: capture.deliveryId, duplicateOf: capture.duplicateOf,
    eventType: capture.eventType,
  };
  return {
    startedDateTime: new Date(capture.receivedAt).toISOString(),
    time: 0,
    request: {
      method: capture.method,
      url: `${baseUrl}/h/${encodeURIComponent(capture.endpointId)}${capture.path}${search}`,
      httpVersion: HTTP_VERSION,
      cookies: [],
      headers: capture.headers.map(([name, value]) => ({ name, value })),
      queryString: [...new URLSearchParams(capture.query)].map(([name, value]) => ({ name, value })),
      ...(capture.body.length > 0 && {
        postData: text === null
          ? { mimeType: capture.contentType ?? '', text: capture.body.toString('base64'), _encoding: 'base64' }
          : { mimeType: capture.contentType ?? '', text },
      }),
      headersSize: -1,
      bodySize: capture.size,
    },
    response: {
      status: capture.reply.status, statusText: '', httpVersion: HTTP_VERSION, cookies: [], headers: [],
      content: { size: -1, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: -1,
      ...(capture.reply.rejected !== undefined && { _rejected: capture.reply.rejected }),
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _hookscope: extra,
  };
}

/** `https://x/h/<id>/a/b?q` → sub-path `/a/b` and raw query `q`; a URL not under `/h/` keeps its whole path. */
export function splitHarUrl(url: string): { path: string; query: string } {
  const afterAuthority = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const hash = afterAuthority.indexOf('#');
  const noHash = hash === -1 ? afterAuthority : afterAuthority.slice(0, hash);
  const q = noHash.indexOf('?');
  const pathname = q === -1 ? noHash : noHash.slice(0, q);
  const sub = /^\/h\/[^/]+(\/.*)?$/.exec(pathname);
  return { path: sub ? (sub[1] ?? '') : pathname === '/' ? '' : pathname, query: q === -1 ? '' : noHash.slice(q + 1) };
}

function bodyOf(entry: HarEntry): Buffer {
  const post = entry.request.postData;
  if (!post?.text) return Buffer.alloc(0);
  const encoding = (post as { _encoding?: unknown; encoding?: unknown })._encoding ?? (post as { encoding?: unknown }).encoding;
  return Buffer.from(post.text, encoding === 'base64' ? 'base64' : 'utf8');
}

function extraOf(entry: HarEntry): Partial<HookscopeExtra> {
  const extra = (entry as { _hookscope?: unknown })._hookscope;
  return extra && typeof extra === 'object' ? (extra as Partial<HookscopeExtra>) : {};
}

/** A HAR entry (ours or any tool's) as a capture for `endpointId`; Hookscope's `_hookscope` fields win when present. */
export function captureOfHarEntry(entry: HarEntry, endpointId: string): NewCapture {
  const extra = extraOf(entry);
  const fromUrl = splitHarUrl(entry.request.url);
  const headers: HeaderPairs = entry.request.headers.map(({ name, value }) => [name, value]);
  const body = bodyOf(entry);
  const verdicts = extra.verdicts === undefined ? { success: false as const } : verdictsSchema.safeParse(extra.verdicts);
  const rejected = (entry.response as { _rejected?: unknown })._rejected;
  const capture = {
    endpointId,
    receivedAt: typeof extra.receivedAt === 'number' ? extra.receivedAt : Date.parse(entry.startedDateTime),
    method: entry.request.method,
    path: typeof extra.path === 'string' ? extra.path : fromUrl.path,
    query: typeof extra.query === 'string' ? extra.query : fromUrl.query,
    peer: typeof extra.peer === 'string' ? extra.peer : (entry.serverIPAddress ?? ''),
    headers,
    body,
    size: body.length,
    contentType: headerValue(headers, 'content-type'),
    reply: { status: entry.response.status > 0 ? entry.response.status : 200, ...(typeof rejected === 'string' && { rejected }) },
    verdicts: verdicts.success ? verdicts.data : { signature: SKIPPED_SIGNATURE, schema: SKIPPED_SCHEMA },
    deliveryId: typeof extra.deliveryId === 'string' ? extra.deliveryId : null,
    duplicateOf: null,
    eventType: null,
  };
  return completeImported(capture, typeof extra.eventType === 'string' ? extra.eventType.slice(0, 200) : undefined);
}
