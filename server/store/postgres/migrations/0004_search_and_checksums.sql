-- Hookscope schema, version 4: what the query language (shared/query.ts) needs as indexed
-- columns, and checksums that let every read prove a capture intact.
--
-- The columns are derived from the capture in Node (server/store/postgres/search-columns.ts:
-- body text extraction cannot be done in SQL) and written with every append. Rows stored before
-- this version have them NULL (search_version IS NULL): a resumable batched backfill fills them
-- after start-up (search-backfill.ts), and until then queries decide those rows the slow way,
-- so answers stay correct. Adding nullable columns rewrites nothing.
ALTER TABLE captures
  ADD COLUMN search_version smallint,          -- version of the derivation; NULL: not filled yet
  ADD COLUMN method        text COLLATE "C",   -- upper-cased (method:)
  ADD COLUMN status        integer,            -- the reply Hookscope gave (status:)
  ADD COLUMN sig           text COLLATE "C",   -- signature verdict status (sig:)
  ADD COLUMN schema_status text COLLATE "C",   -- schema verdict status (schema:)
  -- Event type (lower-cased: event: globs are case-insensitive) and path ('/' for the bare
  -- endpoint URL), cut at 200 characters so b-trees can hold them; the whole value is kept
  -- beside only when it is longer, and queries compare it then.
  ADD COLUMN event_type    text COLLATE "C",
  ADD COLUMN event_type_whole text COLLATE "C",
  ADD COLUMN path          text COLLATE "C",
  ADD COLUMN path_whole    text COLLATE "C",
  ADD COLUMN peer          text COLLATE "C",   -- peer: globs (exact peers go through tags)
  ADD COLUMN is_duplicate  boolean,
  ADD COLUMN is_rejected   boolean,
  -- Exact-match keys in one GIN index: 'd:<delivery id form>', 'p:<peer form>', 'h:<header name>',
  -- 'h:<name>=<value>' (lower-cased); a key over 400 characters is cut and ends with its hash.
  ADD COLUMN tags          text[] COLLATE "C",
  ADD COLUMN header_lines  text[] COLLATE "C", -- every header as '<name>=<value>', lower-cased, whole (header: globs)
  ADD COLUMN search_text   text,               -- what a bare word searches: body text, path, query (lower-cased)
  -- sha256(id '\n' sha256(endpoint_id '\n' meta)) and sha256(id '\n' sha256(headers-json '\n' body)):
  -- checked on every read (row-checksums.ts); NULL for rows stored before this version until the
  -- backfill seals them.
  ADD COLUMN meta_sum      bytea,
  ADD COLUMN body_sum      bytea;

-- Rows the backfill has not reached: it walks them, and queries decide them in Node. This one
-- index is built here (on an upgraded table it holds every row until the backfill is done);
-- the indexes of the search columns are built after the migration by search-indexes.ts —
-- at once on an empty table, CONCURRENTLY (appends go on) on one that holds captures.
CREATE INDEX captures_unsearchable_idx ON captures (endpoint_id, id) WHERE search_version IS NULL;

-- Group commit with the search columns and checksums: hookscope_append_batch (0002) plus, per
-- capture, the two inner digests (bound here to the id the capture gets) and its derived columns
-- as one jsonb object (search-columns.ts). The older functions stay for instances not yet
-- upgraded; their rows arrive with search_version NULL and are filled by the backfill.
CREATE FUNCTION hookscope_append_rows(p_endpoint text, p_now_ms bigint, p_suffixes text[], p_received_at bigint[],
                                      p_delivery_ids text[], p_metas json[], p_headers jsonb[], p_bodies bytea[],
                                      p_meta_digests bytea[], p_body_digests bytea[], p_search jsonb[])
RETURNS TABLE (capture_id text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_ms bigint;
  v_counter integer;
  v_max integer;
  v_count integer;
  v_n integer := cardinality(p_suffixes);
  v_ids text[] := '{}';
  v_evicted integer;
BEGIN
  SELECT e.last_ms, e.last_counter, e.max_captures, e.capture_count INTO v_ms, v_counter, v_max, v_count
    FROM endpoints e WHERE e.id = p_endpoint FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no endpoint with id %', p_endpoint USING ERRCODE = 'P0002';
  END IF;
  FOR i IN 1..v_n LOOP
    IF p_now_ms > v_ms THEN
      v_ms := p_now_ms;
      v_counter := 0;
    ELSE
      v_counter := v_counter + 1;
      IF v_counter >= 1679616 THEN
        v_ms := v_ms + 1;
        v_counter := 0;
      END IF;
    END IF;
    v_ids := v_ids || (hookscope_base36(v_ms, 9) || hookscope_base36(v_counter, 4) || p_suffixes[i]);
  END LOOP;
  INSERT INTO captures (id, endpoint_id, received_at, delivery_id, meta, headers, body, meta_sum, body_sum,
                        search_version, method, status, sig, schema_status, event_type, event_type_whole, path,
                        path_whole, peer, is_duplicate, is_rejected, tags, header_lines, search_text)
    SELECT u.id, p_endpoint, u.received_at, u.delivery_id, u.meta, u.headers, u.body,
           sha256(convert_to(u.id || E'\n', 'UTF8') || u.meta_digest),
           sha256(convert_to(u.id || E'\n', 'UTF8') || u.body_digest),
           (u.s->>'version')::smallint, u.s->>'method', (u.s->>'status')::integer, u.s->>'sig', u.s->>'schema',
           u.s->>'event', u.s->>'eventWhole', u.s->>'path', u.s->>'pathWhole', u.s->>'peer', (u.s->>'duplicate')::boolean, (u.s->>'rejected')::boolean,
           ARRAY(SELECT jsonb_array_elements_text(u.s->'tags')),
           ARRAY(SELECT jsonb_array_elements_text(u.s->'headers')),
           u.s->>'text'
      FROM unnest(v_ids, p_received_at, p_delivery_ids, p_metas, p_headers, p_bodies, p_meta_digests, p_body_digests, p_search)
        AS u(id, received_at, delivery_id, meta, headers, body, meta_digest, body_digest, s);
  v_count := v_count + v_n;
  IF v_count > v_max THEN
    DELETE FROM captures WHERE id IN (
      SELECT c.id FROM captures c WHERE c.endpoint_id = p_endpoint ORDER BY c.id LIMIT v_count - v_max);
    GET DIAGNOSTICS v_evicted = ROW_COUNT;
    v_count := v_count - v_evicted;
  END IF;
  UPDATE endpoints SET last_ms = v_ms, last_counter = v_counter, capture_count = v_count WHERE id = p_endpoint;
  RETURN QUERY SELECT unnest(v_ids);
END $$;
