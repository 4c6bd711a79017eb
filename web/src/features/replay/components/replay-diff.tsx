import { useMemo, useState } from 'react';
import { Segmented } from '../../../components/ui/tabs';
import type { ReplayAttempt } from '../../../../../shared/capture';
import { comparableBody, diffLines, type DiffLine } from '../utils/line-diff';
import { AttemptStatus } from './attempt-view';

type Row = { left: DiffLine | null; right: DiffLine | null };

/** Aligns a line diff into side-by-side rows: changed blocks are paired line by line. */
export function sideBySide(lines: readonly DiffLine[]): Row[] {
  const rows: Row[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i += 1) rows.push({ left: removed[i] ?? null, right: added[i] ?? null });
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.kind === 'same') {
      flush();
      rows.push({ left: line, right: line });
    } else if (line.kind === 'removed') removed.push(line);
    else added.push(line);
  }
  flush();
  return rows;
}

export type DiffSide = 'response' | 'request';

/** An attempt's response, or the request it sent, as comparable text. */
export function attemptText(attempt: ReplayAttempt, side: DiffSide): string {
  if (side === 'request') {
    const sent = attempt.sent;
    if (!sent) return '(what was sent is not recorded for this attempt)';
    const headers = sent.headers.map(([n, v]) => `${n}: ${v}`).join('\n');
    const body = sent.body ? comparableBody(sent.body) : `(the captured body: ${sent.bodySize} bytes, sha256 ${sent.bodySha256})`;
    return `${sent.method} ${sent.url}\n${headers}\n\n${body}`;
  }
  const status = attempt.status === undefined ? `error: ${attempt.error ?? 'no answer'}` : `HTTP ${attempt.status}`;
  const headers = (attempt.headers ?? []).map(([n, v]) => `${n}: ${v}`).join('\n');
  return `${status}\n${headers}\n\n${comparableBody(attempt.body)}`;
}

/** Two attempts side by side (the old build against the new one): their responses, or the requests they sent. */
export function ReplayDiff({ a, b }: { a: ReplayAttempt; b: ReplayAttempt }) {
  const [side, setSide] = useState<DiffSide>('response');
  const rows = useMemo(() => sideBySide(diffLines(attemptText(a, side), attemptText(b, side))), [a, b, side]);
  const changed = rows.filter((r) => r.left?.kind !== 'same').length;
  const what = side === 'response' ? 'responses' : 'requests';
  return (
    <div className="diff" data-testid="replay-diff">
      <div className="panel-bar">
        <Segmented label="Compare" value={side} onChange={setSide} options={[{ value: 'response', label: 'Responses' }, { value: 'request', label: 'Requests sent' }]} />
        <span className="muted">{changed === 0 ? `The two ${what} are identical.` : `${changed} line${changed === 1 ? '' : 's'} differ.`}</span>
      </div>
      <div className="diff__row diff__head">
        <div><AttemptStatus attempt={a} /> <span className="mono">{a.url}</span> · {Math.round(a.durationMs)} ms</div>
        <div><AttemptStatus attempt={b} /> <span className="mono">{b.url}</span> · {Math.round(b.durationMs)} ms</div>
      </div>
      <div className="diff__body" tabIndex={0} aria-label="Differences, line by line">
        {rows.map((row, i) => (
          <div className="diff__row" key={i}>
            <pre className={`diff__cell diff__cell--${row.left?.kind ?? 'empty'}`}>{row.left?.text ?? ''}</pre>
            <pre className={`diff__cell diff__cell--${row.right?.kind ?? 'empty'}`}>{row.right?.text ?? ''}</pre>
          </div>
        ))}
      </div>
    </div>
  );
}
