import { useEffect, useState } from 'react';
import type { CaptureView, ReplayAttempt } from '../../../../../shared/capture';
import { SendIcon } from '../../../components/ui/icons';
import { RelativeTime } from '../../../components/ui/relative-time';
import { useNow } from '../../../hooks/use-now';
import { useStreamEvent } from '../../../hooks/use-stream-event';
import { useApi } from '../../../lib/api-client';
import { getAttempts } from '../api/replay-api';
import { AttemptStatus, AttemptView } from './attempt-view';
import { ReplayDiff } from './replay-diff';
import { ReplayDialog } from './replay-dialog';

/** Every replay/forward attempt of a capture (live), one opened, or two compared side by side. */
export function ReplayHistory({ capture }: { capture: CaptureView }) {
  const now = useNow(10_000);
  const [live, setLive] = useState<ReplayAttempt[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [replaying, setReplaying] = useState(false);
  useStreamEvent('replay-result', (message) => {
    if (message.captureId === capture.id) setLive((list) => (list.some((a) => a.id === message.attempt.id) ? list : [...list, message.attempt]));
  });
  const api = useApi();
  const [stored, setStored] = useState(capture.replays);
  useEffect(() => {
    // The detail may have been loaded before the latest attempts: read them again.
    const controller = new AbortController();
    getAttempts(api, capture.id, controller.signal).then(setStored, () => undefined);
    return () => controller.abort();
  }, [api, capture.id]);
  const known = new Set(stored.map((a) => a.id));
  const attempts = [...stored, ...live.filter((a) => !known.has(a.id))].sort((x, y) => y.startedAt - x.startedAt);
  const toggle = (id: string) => setPicked((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list.slice(-1), id]));
  // Older on the left: "old build" against "new build".
  const compared = attempts.filter((a) => picked.includes(a.id)).sort((x, y) => x.startedAt - y.startedAt);

  return (
    <div data-testid="replay-history">
      <div className="panel-bar">
        <span className="muted">{attempts.length === 0 ? 'Not replayed yet.' : `${attempts.length} attempt${attempts.length === 1 ? '' : 's'}. Tick two to compare what they sent and what came back.`}</span>
        <span className="spacer" />
        <button type="button" className="btn btn--small" onClick={() => setReplaying(true)}><SendIcon /> Replay…</button>
      </div>
      {compared.length === 2 && <ReplayDiff a={compared[0] as ReplayAttempt} b={compared[1] as ReplayAttempt} />}
      <ul className="attempts">
        {attempts.map((attempt) => (
          <li key={attempt.id}>
            <div className="attempts__row">
              <input type="checkbox" aria-label="Compare" checked={picked.includes(attempt.id)} onChange={() => toggle(attempt.id)} />
              <button type="button" className="attempts__open" aria-expanded={open === attempt.id} onClick={() => setOpen(open === attempt.id ? null : attempt.id)}>
                <AttemptStatus attempt={attempt} />
                <span className="badge">{attempt.kind}</span>
                <span className="mono attempt__url">{attempt.url}</span>
                <span className="muted">{Math.round(attempt.durationMs)} ms</span>
                <span className="muted"><RelativeTime at={attempt.startedAt} now={Math.max(now, attempt.startedAt)} /></span>
              </button>
            </div>
            {open === attempt.id && <AttemptView attempt={attempt} />}
          </li>
        ))}
      </ul>
      {replaying && <ReplayDialog capture={capture} onClose={() => setReplaying(false)} />}
    </div>
  );
}
