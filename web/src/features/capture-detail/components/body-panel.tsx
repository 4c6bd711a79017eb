import { useMemo, useState } from 'react';
import type { CaptureView } from '../../../../../shared/capture';
import { Segmented } from '../../../components/ui/tabs';
import { formatBytes } from '../../../lib/format';
import { bodyBytes } from '../utils/body-bytes';
import { HexView, RawText } from './hex-view';
import { JsonTree } from './json-tree';
import { PairsTable } from './pairs-table';

type Mode = 'parsed' | 'raw' | 'hex';

interface Props {
  capture: CaptureView;
  /** Schema issue path to reveal in the JSON tree. */
  focusIssue: string | null;
}

const PARSED_LABEL: Partial<Record<CaptureView['view']['kind'], string>> = { json: 'Tree', form: 'Fields', multipart: 'Parts' };

/** The body as a JSON tree, form fields or multipart parts; raw text; or a hex dump. */
export function BodyPanel({ capture, focusIssue }: Props) {
  const { view, body } = capture;
  const parsedLabel = PARSED_LABEL[view.kind];
  const isText = body.encoding === 'utf8';
  const options = [
    ...(parsedLabel ? [{ value: 'parsed' as const, label: parsedLabel }] : []),
    ...(isText ? [{ value: 'raw' as const, label: 'Raw' }] : []),
    { value: 'hex' as const, label: 'Hex' },
  ];
  const [chosen, setMode] = useState<Mode>(parsedLabel ? 'parsed' : isText ? 'raw' : 'hex');
  const mode = focusIssue && parsedLabel ? 'parsed' : options.some((o) => o.value === chosen) ? chosen : (options[0] as { value: Mode }).value;
  const bytes = useMemo(() => bodyBytes(body), [body]);

  if (view.kind === 'empty') return <p className="muted">No body.</p>;
  return (
    <>
      <div className="panel-bar">
        <Segmented label="Body view" options={options} value={mode} onChange={setMode} />
        <span className="muted">{formatBytes(capture.size)}{capture.contentType ? ` · ${capture.contentType}` : ''}</span>
        {view.kind === 'binary' && <span className="badge badge--amber">{view.note ?? 'binary'}</span>}
      </div>
      {mode === 'hex' && <HexView bytes={bytes} />}
      {mode === 'raw' && <RawText text={body.data} />}
      {mode === 'parsed' && view.kind === 'json' && <JsonTree value={view.value} issues={capture.verdicts.schema.issues} focus={focusIssue} />}
      {mode === 'parsed' && view.kind === 'form' && <PairsTable pairs={view.fields} label="Form fields" empty="No fields." />}
      {mode === 'parsed' && view.kind === 'multipart' && (
        <div className="parts">
          {view.parts.map((part, i) => (
            <div className="part" key={i}>
              <div className="part__head">
                <strong>{part.name ?? `part ${i + 1}`}</strong>
                {part.filename && <span className="muted">file: {part.filename}</span>}
                <span className="spacer" />
                <span className="muted">{part.contentType ?? 'text/plain'} · {formatBytes(part.size)}</span>
              </div>
              {part.text !== null ? <pre className="code-block">{part.text}</pre> : <p className="muted" style={{ padding: '6px 10px', margin: 0 }}>Binary content (see Hex).</p>}
            </div>
          ))}
        </div>
      )}
    </>
  );
}
