import { createLocalJWKSet, errors, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import type { KeyObject } from 'node:crypto';

type LocalSet = ReturnType<typeof createLocalJWKSet>;
type Resolved = Awaited<ReturnType<LocalSet>>;

interface Entry {
  fetchedAt: number; // ms since epoch
  set: LocalSet;
  kids: string[];
}

export interface JwksCacheOptions {
  now: () => number; // ms since epoch
  fetch?: typeof fetch;
  /** Keys are refetched after this long, ms (default 10 min, as jose). */
  maxAgeMs?: number;
  /** An unknown `kid` triggers a refetch only if the last fetch is older than this, ms (default 30 s, as jose). */
  cooldownMs?: number;
  /** Abort a JWKS fetch after this long, ms. */
  timeoutMs?: number;
}

/** The JWKS could not be fetched or read. */
export class JwksFetchError extends Error {}

const MAX_JWKS_BYTES = 512 * 1024;

/**
 * JSON Web Key Sets by URL, cached; a token whose `kid` is not in the cached set makes one
 * refetch (key rotation), at most once per cooldown, so forged `kid`s cannot make Hookscope
 * hammer the URL. Keys come only from the configured URL: a token's own `jku` / `x5u` / `jwk`
 * headers are never followed (RFC 8725 §3.10).
 */
export class JwksCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();

  constructor(private readonly options: JwksCacheOptions) {}

  /** The key of the set at `url` matching the token header; rejects with jose's JWKSNoMatchingKey or JwksFetchError. */
  async keyFor(url: string, header: JWSHeaderParameters): Promise<Resolved | KeyObject> {
    const now = this.options.now();
    let entry = this.entries.get(url);
    if (!entry || now - entry.fetchedAt > (this.options.maxAgeMs ?? 600_000)) entry = await this.refresh(url, entry);
    try {
      return await entry.set(header);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || now - entry.fetchedAt < (this.options.cooldownMs ?? 30_000)) throw error;
      return (await this.refresh(url, entry)).set(header);
    }
  }

  /** Key ids the cached set at `url` holds (for the verdict), or null when never fetched. */
  kidsOf(url: string): string[] | null {
    return this.entries.get(url)?.kids ?? null;
  }

  private refresh(url: string, stale: Entry | undefined): Promise<Entry> {
    let running = this.pending.get(url);
    if (!running) {
      running = this.load(url)
        .then((entry) => {
          this.entries.set(url, entry);
          return entry;
        })
        // A failed refetch keeps serving the keys it had: a JWKS host blip must not reject every delivery.
        .catch((error: unknown) => {
          if (stale) return stale;
          throw error;
        })
        .finally(() => this.pending.delete(url));
      this.pending.set(url, running);
    }
    return running;
  }

  private async load(url: string): Promise<Entry> {
    const fetchImpl = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await fetchImpl(url, { redirect: 'manual', headers: { accept: 'application/json, application/jwk-set+json' }, signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
    } catch (error) {
      throw new JwksFetchError(`could not fetch the JWKS at ${url} (${(error as Error).message})`);
    }
    if (response.status !== 200) throw new JwksFetchError(`the JWKS at ${url} answered ${response.status}, not 200`);
    const text = await readCapped(response, MAX_JWKS_BYTES);
    if (text === null) throw new JwksFetchError(`the JWKS at ${url} is over ${MAX_JWKS_BYTES} bytes`);
    let jwks: JSONWebKeySet;
    try {
      jwks = JSON.parse(text) as JSONWebKeySet;
      const set = createLocalJWKSet(jwks);
      return { fetchedAt: this.options.now(), set, kids: jwks.keys.map((k) => String(k.kid ?? '(no kid)')) };
    } catch (error) {
      throw new JwksFetchError(`the JWKS at ${url} is not a JSON Web Key Set (${(error as Error).message})`);
    }
  }
}

/** The body as text, reading no more than `max` bytes (null when it is longer). */
async function readCapped(response: Response, max: number): Promise<string | null> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) {
      await response.body.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
