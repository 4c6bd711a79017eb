import { useMemo, useState } from 'react';
import type { CaptureView } from '../../../../../shared/capture';
import { Segmented } from '../../../components/ui/tabs';
import { formatBytes } from '../../../lib/format';
import { bodyBytes } from '../utils/body-bytes';
import { HexView, RawText } from './hex-view';
import { JsonTree } from './json-tree';
import { PairsTable } from './pairs-table';

type Mode = 'parsed' | 'text' | 'hex';

interface Props {
  capture: CaptureView;
  /** Schema issue path to reveal in the JSON tree. */
  focusIssue: string | null;
  /** Why the body is not there (refused before it was kept), or null. */
  notKept: string | null;
}

const PARSED_LABEL: Partial<Record<CaptureView['view']['kind'], string>> = { json: 'Tree', form: 'Fields', multipart: 'Parts' };

/**
 * The body as a JSON tree, form fields or multipart parts; as text; or as a hex dump of the bytes.
 * A gzip/deflate/br body is labelled and shown decoded, with its bytes as sent under "Raw (encoded)".
 */
export function BodyPanel({ capture, focusIssue, notKept }: Props) {
  const { view, body, decoded } = capture;
  const parsedLabel = PARSED_LABEL[view.kind];
  const text = decoded ? decoded.text : body.encoding === 'utf8' ? body.data : null;
  const options = [
    ...(parsedLabel ? [{ value: 'parsed' as const, label: parsedLabel }] : []),
    ...(text !== null ? [{ value: 'text' as const, label: decoded ? 'Text (decoded)' : 'Raw' }] : []),
    { value: 'hex' as const, label: decoded ? 'Raw (encoded)' : 'Hex' },
  ];
  const [chosen, setMode] = useState<Mode>(parsedLabel ? 'parsed' : text !== null ? 'text' : 'hex');
  const mode = focusIssue && parsedLabel ? 'parsed' : options.some((o) => o.value === chosen) ? chosen : (options[0] as { value: Mode }).value;
  const bytes = useMemo(() => bodyBytes(body), [body]);

  if (notKept) return <div className="notice notice--error" role="note" data-testid="body-not-kept"><strong>The body was not kept.</strong> {notKept}</div>;
  if (view.kind === 'empty') return <p className="muted">No body: the request was sent without one.</p>;
  return (
    <>
      <div className="panel-bar">
        <Segmented label="Body view" options={options} value={mode} onChange={setMode} />
        {decoded && <span className="badge badge--blue" title={`Content-Encoding: ${decoded.encoding}`}>{decoded.encoding}</span>}
        <span className="muted" data-testid="body-size">
          {decoded ? `${formatBytes(capture.size)} as sent${decoded.text !== null || decoded.size > 0 ? ` → ${formatBytes(decoded.size)} decoded` : ''}` : formatBytes(capture.size)}
          {capture.contentType ? ` · ${capture.contentType}` : ''}
        </span>
        {view.kind === 'binary' && <span className="badge badge--amber">{view.note ?? 'binary'}</span>}
      </div>
      {decoded?.error && <div className="notice notice--error" style={{ marginBottom: 8 }}>Cannot decode the {decoded.encoding} body: {decoded.error}. The bytes as sent are under Raw (encoded).</div>}
      {mode === 'hex' && <HexView bytes={bytes} />}
      {mode === 'text' && text !== null && <RawText text={text} />}
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
