import { useState, type ReactNode } from 'react';
import { bodyNotKept, type CaptureView } from '../../../../../shared/capture';
import {
  DuplicateBadge, EventTypeBadge, MethodLabel, RejectedBadge, SchemaBadge, SignatureBadge,
} from '../../../components/ui/badges';
import { CopyButton } from '../../../components/ui/copy-button';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { BackIcon, DownloadIcon, TrashIcon } from '../../../components/ui/icons';
import { Tabs } from '../../../components/ui/tabs';
import { useNotify } from '../../../components/ui/toasts';
import { errorMessage, useApi } from '../../../lib/api-client';
import { displayPath, formatBytes } from '../../../lib/format';
import { deleteCapture, downloadBody } from '../api/capture-api';
import { useCapture } from '../hooks/use-capture';
import { BodyPanel } from './body-panel';
import { CurlButton } from './curl-button';
import { DeliveryTimeline } from './delivery-timeline';
import { Overview } from './overview';
import { PairsTable, pairsText } from './pairs-table';
import { VerificationPanel } from './verification-panel';

type Tab = 'body' | 'headers' | 'query' | 'verification' | 'replays';

interface Props {
  captureId: string;
  onDeleted: (id: string) => void;
  /** Narrow screens: back to the list. */
  onBack: () => void;
  /** Extra buttons in the action bar (replay…), from other features. */
  renderActions?: (capture: CaptureView) => ReactNode;
  /** Content of a "Replays" tab, when given. */
  renderReplays?: (capture: CaptureView) => ReactNode;
}

type Slots = Pick<Props, 'renderActions' | 'renderReplays'>;

/** Everything about one capture. */
export function CaptureDetail({ captureId, onDeleted, onBack, ...slots }: Props) {
  const load = useCapture(captureId);
  if (load.status === 'loading') return <div className="empty" aria-busy="true">Loading request…</div>;
  if (load.status === 'error') {
    return (
      <div className="empty" role="alert">
        <button type="button" className="btn back-button" onClick={onBack}><BackIcon /> Requests</button>
        <h2>Cannot show this request</h2>
        <p>{load.message}</p>
      </div>
    );
  }
  return <Loaded key={captureId} capture={load.capture} onDeleted={onDeleted} onBack={onBack} slots={slots} />;
}

function Loaded({ capture, onDeleted, onBack, slots }: { capture: CaptureView; onDeleted: (id: string) => void; onBack: () => void; slots: Slots }) {
  const api = useApi();
  const notify = useNotify();
  const [tab, setTab] = useState<Tab>('body');
  const [focusIssue, setFocusIssue] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const path = displayPath(capture.path, capture.query);
  const notKept = bodyNotKept(capture, capture.body.data.length)
    ? `Ingest refused this ${formatBytes(capture.size)} delivery before keeping its body (${capture.reply.rejected ?? 'rejected'}), so there is nothing to show, download, replay or copy as curl.`
    : null;
  const { signature, schema } = capture.verdicts;
  const flagged = signature.status === 'invalid' || signature.status === 'missing' || signature.status === 'expired' || schema.status === 'invalid';

  const remove = async () => {
    setConfirmDelete(false);
    try {
      await deleteCapture(api, capture.id);
      onDeleted(capture.id);
    } catch (error) {
      notify(`Could not delete: ${errorMessage(error)}`, { error: true });
    }
  };
  const download = () => downloadBody(api, capture).catch((error: unknown) => notify(`Download failed: ${errorMessage(error)}`, { error: true }));

  return (
    <div className="detail" data-detail-id={capture.id}>
      <div className="detail-header">
        <div className="detail-title">
          <button type="button" className="btn btn--icon btn--ghost back-button" aria-label="Back to requests" onClick={onBack}><BackIcon /></button>
          <h2 className="detail-title__heading">
            <MethodLabel method={capture.method} /> <code title={path} data-testid="detail-path">{path}</code>
          </h2>
          <span className="spacer" />
          <span className="muted mono" title="Capture id">{capture.id}</span>
        </div>
        <div className="detail-actions" style={{ alignItems: 'center' }}>
          <RejectedBadge capture={capture} />
          <SignatureBadge verdict={signature} />
          <SchemaBadge verdict={schema} />
          <EventTypeBadge eventType={capture.eventType ?? schema.eventType} />
          <DuplicateBadge capture={capture} />
          <span className="spacer" />
          {slots.renderActions?.(capture)}
          <CurlButton capture={capture} unavailable={notKept} />
          <button type="button" className="btn btn--small" onClick={() => void download()} disabled={capture.size === 0 || notKept !== null}
            title={notKept ?? 'Download the body bytes exactly as received'}><DownloadIcon /> Body</button>
          <button type="button" className="btn btn--small btn--danger" onClick={() => setConfirmDelete(true)}><TrashIcon /> Delete</button>
        </div>
        <Overview capture={capture} />
        <DeliveryTimeline capture={capture} />
        <Tabs label="Request sections" active={tab} onChange={setTab} tabs={[
          { key: 'body', label: 'Body' },
          { key: 'headers', label: 'Headers', count: capture.headers.length },
          { key: 'query', label: 'Query', count: capture.queryParams.length },
          { key: 'verification', label: flagged ? 'Verification ⚠' : 'Verification' },
          ...(slots.renderReplays ? [{ key: 'replays' as const, label: 'Replays' }] : []),
        ]} />
      </div>
      <div className="tab-panel" role="tabpanel">
        {tab === 'body' && <BodyPanel capture={capture} focusIssue={focusIssue} notKept={notKept} />}
        {tab === 'headers' && (
          <>
            <div className="panel-bar">
              <span className="muted">As received: original order and case.</span><span className="spacer" />
              <CopyButton label="Copy all" title="Copy all headers" text={pairsText(capture.headers)} />
            </div>
            <PairsTable pairs={capture.headers} label="Headers" empty="No headers." />
          </>
        )}
        {tab === 'query' && (
          <>
            {capture.query && <div className="panel-bar"><code className="muted">?{capture.query}</code><span className="spacer" /><CopyButton label="Copy" text={capture.query} /></div>}
            <PairsTable pairs={capture.queryParams} label="Query parameters" empty="No query string." />
          </>
        )}
        {tab === 'replays' && slots.renderReplays?.(capture)}
        {tab === 'verification' && <VerificationPanel capture={capture} onShowIssue={(p) => { setFocusIssue(p); setTab('body'); }} />}
      </div>
      {confirmDelete && (
        <ConfirmDialog title="Delete this request?" confirmLabel="Delete" onCancel={() => setConfirmDelete(false)} onConfirm={() => void remove()}
          message={<p>The capture and its replay history will be deleted from the server.</p>} />
      )}
    </div>
  );
}
