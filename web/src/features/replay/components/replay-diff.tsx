import { useMemo } from 'react';
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

function text(attempt: ReplayAttempt): string {
  const status = attempt.status === undefined ? `error: ${attempt.error ?? 'no answer'}` : `HTTP ${attempt.status}`;
  const headers = (attempt.headers ?? []).map(([n, v]) => `${n}: ${v}`).join('\n');
  return `${status}\n${headers}\n\n${comparableBody(attempt.body)}`;
}

/** Two replay responses side by side (e.g. the old build against the new one), differences marked. */
export function ReplayDiff({ a, b }: { a: ReplayAttempt; b: ReplayAttempt }) {
  const rows = useMemo(() => sideBySide(diffLines(text(a), text(b))), [a, b]);
  const changed = rows.filter((r) => r.left?.kind !== 'same').length;
  return (
    <div className="diff" data-testid="replay-diff">
      <div className="diff__row diff__head">
        <div><AttemptStatus attempt={a} /> <span className="mono">{a.url}</span> · {Math.round(a.durationMs)} ms</div>
        <div><AttemptStatus attempt={b} /> <span className="mono">{b.url}</span> · {Math.round(b.durationMs)} ms</div>
      </div>
      <p className="muted" style={{ margin: '6px 0' }}>{changed === 0 ? 'The two responses are identical.' : `${changed} line${changed === 1 ? '' : 's'} differ.`}</p>
      <div className="diff__body">
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
