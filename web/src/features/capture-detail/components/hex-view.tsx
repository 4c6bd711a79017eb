import { useMemo, useState } from 'react';
import { hexDump } from '../utils/hex-dump';

const PAGE = 16 * 1024; // bytes shown per "show more"

/** Hex dump of the body's bytes, paged for large bodies. */
export function HexView({ bytes }: { bytes: Uint8Array }) {
  const [shown, setShown] = useState(PAGE);
  const text = useMemo(() => hexDump(bytes, 0, shown).join('\n'), [bytes, shown]);
  if (bytes.length === 0) return <p className="muted">Empty body.</p>;
  return (
    <>
      <pre className="code-block hex" data-testid="hex-view" tabIndex={0} aria-label="Hex dump of the body">{text}</pre>
      {bytes.length > shown && (
        <button type="button" className="btn btn--small" style={{ marginTop: 8 }} onClick={() => setShown(shown + PAGE * 4)}>
          Show more ({(bytes.length - shown).toLocaleString()} bytes left)
        </button>
      )}
    </>
  );
}

const TEXT_PAGE = 256 * 1024; // characters

/** Text exactly as received, paged for very large bodies. */
export function RawText({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  const cut = !all && text.length > TEXT_PAGE;
  return (
    <>
      <pre className="code-block" data-testid="raw-body">{cut ? text.slice(0, TEXT_PAGE) : text}</pre>
      {cut && <button type="button" className="btn btn--small" style={{ marginTop: 8 }} onClick={() => setAll(true)}>Show all {text.length.toLocaleString()} characters</button>}
    </>
  );
}
