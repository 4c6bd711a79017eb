import { useEffect, useState } from 'react';
import { endpointViewSchema } from '../../../../../shared/endpoint';
import { useApi } from '../../../lib/api-client';
import type { RateLimitDraft } from '../utils/rate-limit-draft';
import { Field, type Patch } from './field';

/** The endpoint's optional rate limit, and how many deliveries it has refused (fetched fresh: 429s send no stream event). */
export function RateLimitField({ draft, patch, endpointId }: { draft: RateLimitDraft; patch: Patch<RateLimitDraft>; endpointId: string }) {
  const api = useApi();
  const [refused, setRefused] = useState<number | null>(null);
  useEffect(() => {
    api.request(endpointViewSchema, `/api/endpoints/${encodeURIComponent(endpointId)}`).then(
      (endpoint) => setRefused(endpoint.rateLimitedCount),
      () => setRefused(null),
    );
  }, [api, endpointId]);

  return (
    <fieldset className="fieldset" style={{ marginTop: 14 }}>
      <legend>Rate limit</legend>
      <label className="checkbox">
        <input type="checkbox" checked={draft.rateLimitOn} onChange={(e) => patch({ rateLimitOn: e.target.checked })} />
        Limit how fast deliveries are accepted
      </label>
      {draft.rateLimitOn && (
        <div className="field-row">
          <Field label="Per second" hint="Sustained rate; 0.5 = one every 2 s.">
            <input className="input" type="number" min={0.001} step="any" value={draft.ratePerSecond} onChange={(e) => patch({ ratePerSecond: e.target.value })} />
          </Field>
          <Field label="Burst" hint="Accepted at once after a quiet spell.">
            <input className="input" type="number" min={1} step={1} value={draft.rateBurst} onChange={(e) => patch({ rateBurst: e.target.value })} />
          </Field>
        </div>
      )}
      <small className="muted">
        Beyond the limit senders get 429 with Retry-After; those deliveries are counted, not stored.
        {refused !== null && ` Refused so far by this server: ${refused.toLocaleString()}.`}
      </small>
    </fieldset>
  );
}
