-- Alerts (shared/alerts.ts). `alert_windows`: one row per (endpoint, alert, window) whose message
-- was sent — the instance whose INSERT … ON CONFLICT DO NOTHING adds the row sends it, so several
-- instances never send one window twice. `alert_key` names the alert by its settings; a window
-- is `window_start` (ms since epoch; for silence, the start of the silent stretch).
CREATE TABLE alert_windows (
  endpoint_id  text COLLATE "C" NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
  alert_key    text   NOT NULL,
  window_start bigint NOT NULL,                          -- ms since epoch
  claimed_at   timestamptz NOT NULL DEFAULT now(),       -- rows older than the longest window are pruned
  PRIMARY KEY (endpoint_id, alert_key, window_start)
);
CREATE INDEX alert_windows_claimed_idx ON alert_windows (claimed_at);

-- Every try at sending an alert message, as Settings shows them (newest kept per endpoint).
CREATE TABLE alert_attempts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  endpoint_id text COLLATE "C" NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
  attempt     json NOT NULL                              -- shared/alerts.ts alertAttemptSchema
);
CREATE INDEX alert_attempts_endpoint_idx ON alert_attempts (endpoint_id, id);
