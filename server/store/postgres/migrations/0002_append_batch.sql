-- Group commit for appends: several captures of one endpoint in one transaction, under the same
-- endpoint row lock and with the same id scheme as hookscope_append (see 0001). The lock makes
-- appends to an endpoint commit one at a time, so throughput is one commit per WAL flush; an
-- instance batches the appends that arrive while its previous one is committing, so a flush
-- carries many captures. Ids are given in array order, which is the order they arrived in.
CREATE FUNCTION hookscope_append_batch(p_endpoint text, p_now_ms bigint, p_suffixes text[], p_received_at bigint[],
                                       p_delivery_ids text[], p_metas json[], p_headers jsonb[], p_bodies bytea[])
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
  INSERT INTO captures (id, endpoint_id, received_at, delivery_id, meta, headers, body)
    SELECT u.id, p_endpoint, u.received_at, u.delivery_id, u.meta, u.headers, u.body
      FROM unnest(v_ids, p_received_at, p_delivery_ids, p_metas, p_headers, p_bodies)
        AS u(id, received_at, delivery_id, meta, headers, body);
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
