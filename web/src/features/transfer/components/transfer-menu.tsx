import { useRef, useState } from 'react';
import { importResultSchema } from '../../../../../shared/replay';
import { useNotify } from '../../../components/ui/toasts';
import { useStreamEvent } from '../../../hooks/use-stream-event';
import { errorMessage, useApi } from '../../../lib/api-client';

interface Transfer {
  direction: 'export' | 'import';
  /** The id its `transfer-progress` messages carry (once known). */
  transferId: string | null;
  /** What is happening now, for the status line. */
  phase: string;
  done: number;
  total: number;
  finished: boolean;
}

/**
 * Export (HAR or JSON Lines) and import of the endpoint's captures, with their progress: bytes
 * uploaded, then captures stored or written as `transfer-progress` stream messages report them.
 */
export function TransferMenu({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const notify = useNotify();
  const [transfer, setTransfer] = useState<Transfer | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const key = useRef('');
  useStreamEvent('transfer-progress', (message) => {
    if (message.endpointId !== endpointId) return;
    setTransfer((current) => current && !current.finished && current.direction === message.direction && (current.transferId === null || current.transferId === message.transferId)
      ? { ...current, transferId: message.transferId, phase: message.direction === 'export' ? 'Exporting…' : 'Storing…', done: message.done, total: message.total }
      : current);
  });

  const exportAs = async (format: 'har' | 'jsonl') => {
    setTransfer({ direction: 'export', transferId: null, phase: 'Exporting…', done: 0, total: 0, finished: false });
    try {
      const blob = await api.download(`/api/endpoints/${encodeURIComponent(endpointId)}/export?format=${format}`, (headers) => {
        const total = Number(headers.get('x-hookscope-captures') ?? 0);
        setTransfer((current) => current && { ...current, transferId: headers.get('x-hookscope-transfer'), total });
      });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `hookscope-${endpointId}.${format}`;
      link.click();
      URL.revokeObjectURL(link.href);
      setTransfer((current) => current && { ...current, phase: 'Exported', done: current.total, finished: true });
    } catch (e) {
      setTransfer(null);
      notify(`Export failed: ${errorMessage(e)}`, { error: true });
    }
  };

  const importFile = async (chosen: File) => {
    key.current = crypto.randomUUID(); // a retry of this import stores nothing twice
    setTransfer({ direction: 'import', transferId: key.current, phase: 'Uploading…', done: 0, total: chosen.size, finished: false });
    try {
      const result = await api.upload(importResultSchema, `/api/endpoints/${encodeURIComponent(endpointId)}/import`, chosen, { 'idempotency-key': key.current },
        (sent, total) => setTransfer((current) => current && current.phase === 'Uploading…' ? { ...current, done: sent, total } : current));
      setTransfer((current) => current && { ...current, phase: `Imported ${result.imported} captures`, done: result.imported, total: result.imported, finished: true });
    } catch (e) {
      setTransfer(null);
      notify(`Import failed: ${errorMessage(e)}`, { error: true });
    }
  };

  const unit = transfer?.phase === 'Uploading…' ? ' bytes' : ' captures';
  return (
    <div className="transfer-menu">
      <button type="button" className="btn btn--small btn--ghost" onClick={() => void exportAs('har')} disabled={transfer?.finished === false}>Export HAR</button>
      <button type="button" className="btn btn--small btn--ghost" onClick={() => void exportAs('jsonl')} disabled={transfer?.finished === false}>Export JSONL</button>
      <button type="button" className="btn btn--small btn--ghost" onClick={() => file.current?.click()} disabled={transfer?.finished === false}>Import…</button>
      <input ref={file} type="file" accept=".har,.json,.jsonl,.ndjson" hidden aria-label="Import file"
        onChange={(event) => {
          const chosen = event.target.files?.[0];
          event.target.value = '';
          if (chosen) void importFile(chosen);
        }} />
      {transfer && (
        <div className="bulk-status transfer-status" role="status" aria-label="Transfer" data-testid="transfer-progress">
          <div className="bulk-status__line">
            <strong>{transfer.phase}</strong>
            {transfer.total > 0 && <span className="muted">{transfer.done.toLocaleString()}/{transfer.total.toLocaleString()}{unit}</span>}
            {transfer.finished && <button type="button" className="btn btn--small btn--ghost" onClick={() => setTransfer(null)}>Dismiss</button>}
          </div>
          <div className="progress" aria-hidden="true"><div className="progress__bar" style={{ width: `${transfer.total ? Math.min(100, (100 * transfer.done) / transfer.total) : 0}%` }} /></div>
        </div>
      )}
    </div>
  );
}
