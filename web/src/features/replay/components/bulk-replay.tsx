import { useCallback, useRef, useState } from 'react';
import type { CaptureSummary } from '../../../../../shared/capture';
import { MAX_BULK_ITEMS, type BulkJob } from '../../../../../shared/replay';
import { Dialog } from '../../../components/ui/dialog';
import { SendIcon } from '../../../components/ui/icons';
import { useNotify } from '../../../components/ui/toasts';
import { useStreamEvent } from '../../../hooks/use-stream-event';
import { errorMessage, useApi } from '../../../lib/api-client';
import { cancelBulkReplay, startBulkReplay } from '../api/replay-api';
import { rememberedTarget, rememberTarget } from '../utils/target-memory';

export interface BulkReplayState {
  job: BulkJob | null;
  setJob: (job: BulkJob | null) => void;
}

/** The running (or last) bulk job of an endpoint, kept current from `bulk-progress` messages. */
export function useBulkReplay(): BulkReplayState {
  const [job, setJobState] = useState<BulkJob | null>(null);
  // Progress can arrive before the start request has answered: keep the latest per job.
  const latest = useRef(new Map<string, BulkJob>());
  const newer = (a: BulkJob, b: BulkJob | undefined) => (b && (b.done > a.done || (b.finished && !a.finished)) ? b : a);
  useStreamEvent('bulk-progress', ({ type: _type, ...message }) => {
    latest.current.set(message.jobId, newer(message, latest.current.get(message.jobId)));
    setJobState((current) => (current && message.jobId === current.jobId ? newer(current, message) : current));
  });
  const setJob = useCallback((next: BulkJob | null) => setJobState(next ? newer(next, latest.current.get(next.jobId)) : null), []);
  return { job, setJob };
}

interface Props {
  endpointId: string;
  /** The list as filtered, newest first; replayed oldest first. */
  items: readonly CaptureSummary[];
  state: BulkReplayState;
}

/** "Replay N": replays the filtered list to a URL. */
export function BulkReplayButton({ endpointId, items, state }: Props) {
  const api = useApi();
  const [dialog, setDialog] = useState(false);
  const { job, setJob } = state;
  const [url, setUrl] = useState('');
  const [concurrency, setConcurrency] = useState('1');
  const [appendPath, setAppendPath] = useState(false);
  const [resign, setResign] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const count = Math.min(items.length, MAX_BULK_ITEMS);

  const start = async () => {
    setError(null);
    const ids = items.slice(0, MAX_BULK_ITEMS).map((c) => c.id).reverse();
    try {
      const started = await startBulkReplay(api, endpointId, {
        url: url.trim(), ids, concurrency: Number(concurrency) || 1, ...(appendPath && { appendPath }), ...(resign && { resign: {} }),
      });
      rememberTarget(endpointId, url.trim());
      setJob(started);
      setDialog(false);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const running = job !== null && !job.finished;

  return (
    <>
      <button type="button" className="btn btn--small" disabled={count === 0 || running} title="Replay every request of the (filtered) list"
        onClick={() => {
          setUrl(rememberedTarget(endpointId)); // the URL last used for this endpoint, by a single replay too
          setError(null);
          setDialog(true);
        }}>
        <SendIcon /> Replay {count.toLocaleString()}
      </button>
      {dialog && (
        <Dialog title={`Replay ${count.toLocaleString()} request${count === 1 ? '' : 's'}`} small onClose={() => setDialog(false)} footer={<>
          {error && <span className="error-text" role="alert" style={{ flex: 1 }}>{error}</span>}
          <button type="button" className="btn" onClick={() => setDialog(false)}>Cancel</button>
          <button type="button" className="btn btn--primary" disabled={!url.trim()} onClick={() => void start()}><SendIcon /> Start</button>
        </>}>
          <div className="dialog__body form">
            <p className="muted" style={{ margin: 0 }}>The requests the list shows now, oldest first{items.length > MAX_BULK_ITEMS ? ` (the newest ${MAX_BULK_ITEMS.toLocaleString()})` : ''}.</p>
            <label className="field"><span>Target URL</span><input className="input mono" value={url} onChange={(e) => setUrl(e.target.value)} />
              <small>Remembered for this endpoint (the last single or bulk replay).</small></label>
            <label className="field"><span>Concurrency</span>
              <input className="input" type="number" min={1} max={32} value={concurrency} onChange={(e) => setConcurrency(e.target.value)} />
              <small>1 sends strictly in order, each after the previous answered.</small>
            </label>
            <label className="checkbox"><input type="checkbox" checked={appendPath} onChange={(e) => setAppendPath(e.target.checked)} /> Append each sub-path and query</label>
            <label className="checkbox"><input type="checkbox" checked={resign} onChange={(e) => setResign(e.target.checked)} /> Re-sign with the endpoint's secret</label>
          </div>
        </Dialog>
      )}
    </>
  );
}

/** Progress of the bulk job: counts, mean latency, a bar, and cancel. */
export function BulkReplayStatus({ state }: { state: BulkReplayState }) {
  const api = useApi();
  const notify = useNotify();
  const { job, setJob } = state;
  if (!job) return null;
  const running = !job.finished;
  const cancel = () => cancelBulkReplay(api, job.jobId).then(setJob, (e: unknown) => notify(`Cannot cancel: ${errorMessage(e)}`, { error: true }));
  return (
    <div className="bulk-status" role="status" aria-label="Bulk replay" data-testid="bulk-progress">
      <div className="bulk-status__line">
        <strong>{job.finished ? (job.cancelled ? 'Bulk replay cancelled' : 'Bulk replay done') : 'Replaying…'}</strong>
        <span className="muted">{job.done}/{job.total} · {job.ok} ok · {job.failed} failed{job.meanLatencyMs !== null ? ` · mean ${Math.round(job.meanLatencyMs)} ms` : ''}</span>
        <span className="spacer" />
        {running ? <button type="button" className="btn btn--small" onClick={() => void cancel()}>Cancel</button>
          : <button type="button" className="btn btn--small btn--ghost" onClick={() => setJob(null)}>Dismiss</button>}
      </div>
      <div className="progress" aria-hidden="true"><div className="progress__bar" style={{ width: `${job.total ? (100 * job.done) / job.total : 100}%` }} /></div>
    </div>
  );
}
