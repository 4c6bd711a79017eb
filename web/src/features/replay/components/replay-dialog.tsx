import { useState } from 'react';
import type { CaptureView } from '../../../../../shared/capture';
import type { ReplayRequest, ReplayResult } from '../../../../../shared/replay';
import { Dialog } from '../../../components/ui/dialog';
import { PlusIcon, SendIcon, TrashIcon } from '../../../components/ui/icons';
import { errorMessage, useApi } from '../../../lib/api-client';
import { replayCapture } from '../api/replay-api';
import { rememberedTarget, rememberTarget } from '../utils/target-memory';
import { AttemptView } from './attempt-view';

interface Override {
  name: string;
  value: string;
  remove: boolean;
}

/** Replay one capture to a URL, optionally with edited headers/body and a fresh signature. */
export function ReplayDialog({ capture, onClose }: { capture: CaptureView; onClose: () => void }) {
  const api = useApi();
  const [url, setUrl] = useState(() => rememberedTarget(capture.endpointId));
  const [appendPath, setAppendPath] = useState(false);
  const [resign, setResign] = useState(false);
  const [secret, setSecret] = useState('');
  const [overrides, setOverrides] = useState<Override[]>([]);
  const [editBody, setEditBody] = useState(false);
  const [body, setBody] = useState(capture.body.encoding === 'utf8' ? capture.body.data : '');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setOverride = (i: number, patch: Partial<Override>) => setOverrides(overrides.map((o, j) => (j === i ? { ...o, ...patch } : o)));

  const send = async () => {
    setBusy(true);
    setError(null);
    const headers = Object.fromEntries(overrides.filter((o) => o.name.trim()).map((o) => [o.name.trim(), o.remove ? null : o.value]));
    const request: ReplayRequest = {
      url: url.trim(),
      ...(appendPath && { appendPath }),
      ...(Object.keys(headers).length > 0 && { headers }),
      ...(editBody && { body: { encoding: 'utf8' as const, data: body } }),
      ...(resign && { resign: secret ? { secret } : {} }),
    };
    try {
      setResult(await replayCapture(api, capture.id, request));
      rememberTarget(capture.endpointId, url.trim());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Replay request" onClose={onClose} footer={<>
      {error && <span className="error-text" role="alert" style={{ flex: 1 }}>{error}</span>}
      <button type="button" className="btn" onClick={onClose}>Close</button>
      <button type="button" className="btn btn--primary" disabled={busy || !url.trim()} onClick={() => void send()}><SendIcon /> {busy ? 'Sending…' : 'Send'}</button>
    </>}>
      <div className="dialog__body form">
        <label className="field"><span>Target URL</span>
          <input className="input mono" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://localhost:3000/webhook" />
          <small>Remembered for this endpoint. The original method is used; headers are sent as captured (minus Host and hop-by-hop ones).</small>
        </label>
        <div className="field-row">
          <label className="checkbox"><input type="checkbox" checked={appendPath} onChange={(e) => setAppendPath(e.target.checked)} /> Append sub-path and query (<code>{capture.path || '/'}{capture.query ? `?${capture.query}` : ''}</code>)</label>
          <label className="checkbox"><input type="checkbox" checked={resign} onChange={(e) => setResign(e.target.checked)} /> Re-sign with a fresh timestamp</label>
        </div>
        {resign && (
          <label className="field"><span>Signing secret</span>
            <input className="input mono" type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} placeholder="Empty: the endpoint's own secret" />
          </label>
        )}
        <fieldset className="fieldset">
          <legend>Header overrides</legend>
          {overrides.map((o, i) => (
            <div className="header-row" key={i}>
              <input className="input mono" aria-label="Header name" placeholder="Header-Name" value={o.name} onChange={(e) => setOverride(i, { name: e.target.value })} />
              <input className="input mono" aria-label="Header value" placeholder={o.remove ? '(removed)' : 'value'} disabled={o.remove} value={o.value} onChange={(e) => setOverride(i, { value: e.target.value })} />
              <span style={{ display: 'flex', gap: 4 }}>
                <label className="checkbox" title="Send without this header"><input type="checkbox" checked={o.remove} onChange={(e) => setOverride(i, { remove: e.target.checked })} /> remove</label>
                <button type="button" className="btn btn--icon" aria-label="Drop override" onClick={() => setOverrides(overrides.filter((_, j) => j !== i))}><TrashIcon /></button>
              </span>
            </div>
          ))}
          <div><button type="button" className="btn btn--small" onClick={() => setOverrides([...overrides, { name: '', value: '', remove: false }])}><PlusIcon /> Add override</button></div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Body</legend>
          <label className="checkbox">
            <input type="checkbox" checked={editBody} disabled={capture.body.encoding !== 'utf8'} onChange={(e) => setEditBody(e.target.checked)} />
            Edit the body {capture.body.encoding !== 'utf8' && '(binary bodies are replayed byte for byte only)'}
          </label>
          {editBody && <textarea className="textarea" rows={8} aria-label="Replay body" value={body} onChange={(e) => setBody(e.target.value)} />}
          {!editBody && <small className="muted">The captured bytes are sent exactly.</small>}
        </fieldset>
        {result && (
          <section aria-label="Replay result">
            <h3 style={{ fontSize: 13, marginBottom: 6 }}>Result</h3>
            <AttemptView attempt={result.attempt} />
            <p className="muted" style={{ marginTop: 8 }}>Sent {result.sent.method} {result.sent.url} · {result.sent.bodySize} bytes · sha256 {result.sent.bodySha256.slice(0, 12)}…</p>
          </section>
        )}
      </div>
    </Dialog>
  );
}
