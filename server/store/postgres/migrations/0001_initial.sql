-- Hookscope schema, version 1: endpoints, captures (bytes kept as bytea), replay attempts, and the
-- spill table the LISTEN/NOTIFY hub uses for events larger than a NOTIFY payload (8000 bytes).

CREATE TABLE endpoints (
  id            text COLLATE "C" PRIMARY KEY,
  position      bigint GENERATED ALWAYS AS IDENTITY,       -- creation order ("oldest first")
  config        json    NOT NULL,                         -- the whole Endpoint (shared/endpoint.ts); json keeps any text
  max_captures  integer NOT NULL,                         -- retention.maxCaptures, kept here for the append function
  capture_count integer NOT NULL DEFAULT 0,               -- captures held; maintained under this row's lock
  last_ms       bigint  NOT NULL DEFAULT 0,                -- time part of the last capture id given (ms)
  last_counter  integer NOT NULL DEFAULT 0                 -- counter part of the last capture id given
);
CREATE UNIQUE INDEX endpoints_position_idx ON endpoints (position);

CREATE TABLE captures (
  id           text COLLATE "C" PRIMARY KEY,               -- sorts in arrival order within an endpoint
  endpoint_id  text COLLATE "C" NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
  received_at  bigint NOT NULL,                            -- ms since epoch
  delivery_id  text,
  -- json, not jsonb: verdict texts and delivery ids come from the payload and may hold \u0000 or
  -- lone surrogates, which jsonb refuses; json keeps the text as given.
  meta         json   NOT NULL,                            -- the summary fields but id and endpointId
  headers      jsonb  NOT NULL,                            -- [[name, value], …] exactly as received (HTTP forbids NUL)
  body         bytea  NOT NULL                             -- the body bytes exactly as received
);
-- Cursor paging per endpoint (list, listAfter, retention) walks this index both ways.
CREATE UNIQUE INDEX captures_endpoint_cursor_idx ON captures (endpoint_id, id);
-- Duplicate detection: first retained capture with a delivery id.
CREATE INDEX captures_delivery_idx ON captures (endpoint_id, delivery_id, id) WHERE delivery_id IS NOT NULL;

CREATE TABLE capture_replays (
  capture_id text COLLATE "C" NOT NULL REFERENCES captures (id) ON DELETE CASCADE,
  position   bigint GENERATED ALWAYS AS IDENTITY,
  attempt    json NOT NULL,                               -- json: a target's reply body may hold \u0000
  PRIMARY KEY (capture_id, position)
);

CREATE TABLE hub_spill (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payload    text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- `n` in base 36, left-padded with zeros to `width` digits (the capture id alphabet is 0-9a-z).
CREATE FUNCTION hookscope_base36(n bigint, width integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  digits constant text := '0123456789abcdefghijklmnopqrstuvwxyz';
  out text := '';
BEGIN
  LOOP
    out := substr(digits, (n % 36)::integer + 1, 1) || out;
    n := n / 36;
    EXIT WHEN n = 0;
  END LOOP;
  RETURN lpad(out, width, '0');
END $$;

-- Stores one capture and gives it its id: the cursor scheme lives here.
--
-- Ids have the lowdb format (9 base-36 digits of ms, 4 of a counter, 7 random) so they sort as
-- strings, and ids migrated from lowdb interleave correctly. The (ms, counter) pair is taken from
-- the endpoint row, locked FOR UPDATE until this transaction commits. So, per endpoint, appends
-- from every instance are serialized: id N+1 is assigned only after the transaction holding N
-- has committed (or rolled back). Ids therefore become visible in the order they sort — a
-- reader that sees id N already sees every smaller id that will ever exist, and a cursor
-- ("everything after N") can never skip a row that commits late. The price is one commit at a
-- time per endpoint; the function is one round trip, so the lock is held only for the work
-- inside the server plus the commit.
--
-- Each statement of a VOLATILE plpgsql function takes a fresh snapshot under READ COMMITTED,
-- so retention below sees rows that committed while this call waited for the lock.
CREATE FUNCTION hookscope_append(p_endpoint text, p_now_ms bigint, p_suffix text, p_received_at bigint,
                                 p_delivery_id text, p_meta json, p_headers jsonb, p_body bytea)
RETURNS TABLE (capture_id text, evicted integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_ms bigint;
  v_counter integer;
  v_max integer;
  v_count integer;
  v_id text;
  v_evicted integer := 0;
BEGIN
  SELECT e.last_ms, e.last_counter, e.max_captures, e.capture_count INTO v_ms, v_counter, v_max, v_count
    FROM endpoints e WHERE e.id = p_endpoint FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no endpoint with id %', p_endpoint USING ERRCODE = 'P0002';
  END IF;
  IF p_now_ms > v_ms THEN
    v_ms := p_now_ms;            -- a clock behind the last id keeps the last time: order holds
    v_counter := 0;
  ELSE
    v_counter := v_counter + 1;
    IF v_counter >= 1679616 THEN -- 36^4 ids in one ms: borrow the next ms
      v_ms := v_ms + 1;
      v_counter := 0;
    END IF;
  END IF;
  v_id := hookscope_base36(v_ms, 9) || hookscope_base36(v_counter, 4) || p_suffix;
  INSERT INTO captures (id, endpoint_id, received_at, delivery_id, meta, headers, body)
    VALUES (v_id, p_endpoint, p_received_at, p_delivery_id, p_meta, p_headers, p_body);
  v_count := v_count + 1;
  IF v_count > v_max THEN
    DELETE FROM captures WHERE id IN (
      SELECT c.id FROM captures c WHERE c.endpoint_id = p_endpoint ORDER BY c.id LIMIT v_count - v_max);
    GET DIAGNOSTICS v_evicted = ROW_COUNT;
    v_count := v_count - v_evicted;
  END IF;
  UPDATE endpoints SET last_ms = v_ms, last_counter = v_counter, capture_count = v_count WHERE id = p_endpoint;
  RETURN QUERY SELECT v_id, v_evicted;
END $$;
