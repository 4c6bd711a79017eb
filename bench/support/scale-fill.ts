// Fills a PostgreSQL captures table with synthetic deliveries in SQL (generate_series), with
// every column Hookscope derives — checksums, search columns, body search text — built the way
// server/store/postgres/search-columns.ts and row-checksums.ts build them, so the store reads,
// verifies and searches these rows as its own. The bench checks a sample against the Node code.
import type pg from 'pg';

/** Event types, one per capture in turn: each is 1/40 of the rows. */
export const EVENTS = Array.from({ length: 40 }, (_, i) =>
  `${['message', 'invoice', 'customer', 'order', 'conversation'][i % 5]}.${['created', 'updated', 'read', 'delivered', 'paid', 'failed', 'closed', 'deleted'][Math.floor(i / 5)]}`);

const WORDS = 6000;

/**
 * 6,000 words of 4 to 8 letters drawn from two scrambles of their index (each word in about
 * 1% of bodies: 60 words each). Letters are spread evenly, so trigrams are about as selective as in real
 * text (a vocabulary built from a few syllables would make every trigram common).
 */
export function vocabulary(): string[] {
  return Array.from({ length: WORDS }, (_, h) => {
    const x = (h * 2654435761) % 4294967296;
    const y = (h * 40503 + 12345) % 4294967296;
    const digits = [x, x / 26, x / 676, x / 17576, x / 456976, x / 11881376, y, y / 26].map((v) => String.fromCharCode(97 + (Math.floor(v) % 26)));
    return digits.slice(0, 4 + (h % 5)).join('');
  });
}

/** vocabulary()[h] in SQL, for h (a bigint) in 0…5999. */
const wordSql = (h: string) => {
  const x = `((${h} * 2654435761) % 4294967296)`;
  const y = `((${h} * 40503 + 12345) % 4294967296)`;
  const letter = (v: string) => `chr(97 + ((${v}) % 26)::integer)`;
  const extra = (n: number, v: string) => `CASE WHEN ${h} % 5 >= ${n} THEN ${letter(v)} ELSE '' END`;
  return `${letter(x)} || ${letter(`${x} / 26`)} || ${letter(`${x} / 676`)} || ${letter(`${x} / 17576`)} || ${extra(1, `${x} / 456976`)}
    || ${extra(2, `${x} / 11881376`)} || ${extra(3, y)} || ${extra(4, `${y} / 26`)}`;
};

/** The body word only one capture holds (an old one, far outside any loaded window). */
export const NEEDLE = 'quokkaroo';

/** ms of the first capture; captures are 2 s apart. */
export const T0 = Date.UTC(2026, 0, 1);
export const STEP_MS = 2000;

const EVENT_ARRAY = `ARRAY[${EVENTS.map((e) => `'${e}'`).join(', ')}]`;

// One statement fills captures n in [$1, $2] of endpoint $3; $4 is the
// capture holding NEEDLE. Strings are built as JSON text by concatenation: every piece is a
// plain [a-z0-9._@/-] word, so nothing needs escaping.
const FILL_SQL = `
WITH r AS MATERIALIZED (
  SELECT n, ${T0}::bigint + n * ${STEP_MS} AS at,
         (${EVENT_ARRAY})[1 + (n % 40)] AS event,
         CASE WHEN n % 100 = 0 THEN 'DELETE' WHEN n % 25 = 0 THEN 'PUT' ELSE 'POST' END AS method,
         CASE WHEN n % 100 = 1 THEN 401 WHEN n % 33 = 0 THEN 503 ELSE 200 END AS status,
         CASE WHEN n % 100 = 1 OR n % 17 = 0 THEN 'invalid' WHEN n % 23 = 0 THEN 'missing' ELSE 'valid' END AS sig,
         CASE WHEN n % 20 = 0 THEN 'invalid' WHEN n % 10 = 3 THEN 'unknown' ELSE 'valid' END AS schema_status,
         '/hooks/' || (ARRAY['whatsapp','sms','email','push','voice','chat','billing','crm','shop','repo'])[1 + n % 10] AS path,
         '10.' || (n % 7) || '.' || (n % 250) || '.' || (n % 199 + 1) AS peer,
         'msg_' || substr(md5(n::text), 1, 16) AS delivery_suffix,
         hookscope_base36(${T0}::bigint + n * ${STEP_MS}, 9) || '0000' || substr(md5(n::text), 1, 7) AS id,
         ARRAY(SELECT ${wordSql('h')} FROM generate_series(1, 60) AS k, LATERAL (SELECT abs(hashint8(n * 64 + k)::bigint) % ${WORDS} AS h) AS x) AS w
    FROM generate_series($1::bigint, $2::bigint) AS n
), b AS MATERIALIZED (
  SELECT r.*,
    '{"id":"evt_' || n || '","type":"' || event || '","created":' || at || ',"livemode":false,"data":{"conversation":{"id":' || (n % 50000)
      || ',"channel":"' || w[1] || '","subject":"' || array_to_string(w[2:7], ' ') || '"},"message":{"text":"'
      || CASE WHEN n = $4 THEN '${NEEDLE} ' ELSE '' END || array_to_string(w[8:45], ' ') || '","summary":"' || array_to_string(w[46:57], ' ')
      || '","author":{"name":"' || w[58] || ' ' || w[59] || '","email":"' || w[60] || '@example.com"}},"labels":["' || w[3] || '","' || w[9] || '","' || w[15] || '"]},"request":{"idempotency_key":"'
      || md5(n::text) || '","attempt":' || (1 + n % 3) || ',"region":"eu-west-1","client":"hookscope-bench/1.0 (linux; x64)"},"context":{"locale":"en-gb","timezone":"europe/london","user_agent":"mozilla/5.0 (x11; linux x86_64) applewebkit/537.36 (khtml, like gecko) chrome/126.0 safari/537.36"}}' AS body_text,
    'id' || E'\\n' || 'evt_' || n || E'\\n' || 'type' || E'\\n' || event || E'\\n' || 'created' || E'\\n' || at || E'\\n' || 'livemode' || E'\\n' || 'data'
      || E'\\n' || 'conversation' || E'\\n' || 'id' || E'\\n' || (n % 50000) || E'\\n' || 'channel' || E'\\n' || w[1] || E'\\n' || 'subject' || E'\\n'
      || array_to_string(w[2:7], ' ') || E'\\n' || 'message' || E'\\n' || 'text' || E'\\n' || CASE WHEN n = $4 THEN '${NEEDLE} ' ELSE '' END
      || array_to_string(w[8:45], ' ') || E'\\n' || 'summary' || E'\\n' || array_to_string(w[46:57], ' ') || E'\\n' || 'author' || E'\\n'
      || 'name' || E'\\n' || w[58] || ' ' || w[59] || E'\\n' || 'email' || E'\\n' || w[60] || '@example.com' || E'\\n' || 'labels' || E'\\n' || w[3] || E'\\n' || w[9] || E'\\n' || w[15] || E'\\n' || 'request' || E'\\n'
      || 'idempotency_key' || E'\\n' || md5(n::text) || E'\\n' || 'attempt' || E'\\n' || (1 + n % 3) || E'\\n' || 'region' || E'\\n' || 'eu-west-1'
      || E'\\n' || 'client' || E'\\n' || 'hookscope-bench/1.0 (linux; x64)' || E'\\n' || 'context' || E'\\n' || 'locale' || E'\\n' || 'en-gb'
      || E'\\n' || 'timezone' || E'\\n' || 'europe/london' || E'\\n' || 'user_agent' || E'\\n'
      || 'mozilla/5.0 (x11; linux x86_64) applewebkit/537.36 (khtml, like gecko) chrome/126.0 safari/537.36' || E'\\n' || path || E'\\n' AS search_text,
    '[["content-type","application/json"],["user-agent","Hookscope-Bench/1.0"],["webhook-id","' || delivery_suffix || '"],["x-event-type","' || event
      || '"],["x-request-id","req-' || n || '"]]' AS headers_text
  FROM r
), m AS MATERIALIZED (
  SELECT b.*, convert_to(body_text, 'UTF8') AS body,
    '{"receivedAt":' || at || ',"method":"' || method || '","path":"' || path || '","query":"","peer":"' || peer || '","size":' || octet_length(body_text)
      || ',"contentType":"application/json","reply":{"status":' || status || CASE WHEN status = 401 THEN ',"rejected":"signature invalid (enforce)"' ELSE '' END
      || '},"verdicts":{"signature":{"status":"' || sig || '","scheme":"hmac:standard-webhooks","reason":"checked"},"schema":{"status":"' || schema_status
      || '","issues":[]}},"deliveryId":"webhook-id:' || delivery_suffix || '","duplicateOf":' || CASE WHEN n % 200 = 7 THEN '"0"' ELSE 'null' END
      || ',"eventType":"' || event || '"}' AS meta_text
  FROM b
)
INSERT INTO captures (id, endpoint_id, received_at, delivery_id, meta, headers, body, meta_sum, body_sum, search_version, method, status, sig,
                      schema_status, event_type, path, peer, is_duplicate, is_rejected, tags, header_lines, search_text)
SELECT id, $3, at, 'webhook-id:' || delivery_suffix, meta_text::json, headers_text::jsonb, body,
       sha256(convert_to(id || E'\\n', 'UTF8') || sha256(convert_to($3 || E'\\n' || meta_text, 'UTF8'))),
       sha256(convert_to(id || E'\\n', 'UTF8') || sha256(convert_to(headers_text || E'\\n', 'UTF8') || body)),
       1, method, status, sig, schema_status, event, path, peer, n % 200 = 7, status = 401,
       ARRAY['d:webhook-id:' || delivery_suffix, 'd:' || delivery_suffix, 'p:' || peer, 'h:content-type', 'h:content-type=application/json',
             'h:user-agent', 'h:user-agent=hookscope-bench/1.0', 'h:webhook-id', 'h:webhook-id=' || delivery_suffix, 'h:x-event-type',
             'h:x-event-type=' || event, 'h:x-request-id', 'h:x-request-id=req-' || n],
       ARRAY['content-type=application/json', 'user-agent=hookscope-bench/1.0', 'webhook-id=' || delivery_suffix, 'x-event-type=' || event,
             'x-request-id=req-' || n],
       search_text
  FROM m`;

/** Inserts captures n = from…to (inclusive) of `endpointId`. */
export async function fillRange(client: pg.PoolClient | pg.Pool, endpointId: string, from: number, to: number, needleAt: number): Promise<void> {
  await client.query(FILL_SQL, [from, to, endpointId, needleAt]);
}
