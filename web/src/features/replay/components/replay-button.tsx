import { useState } from 'react';
import { bodyNotKept, type CaptureView } from '../../../../../shared/capture';
import { SendIcon } from '../../../components/ui/icons';
import { ReplayDialog } from './replay-dialog';

/** "Replay" in the request's action bar; disabled, saying why, when the body was never kept. */
export function ReplayButton({ capture }: { capture: CaptureView }) {
  const [open, setOpen] = useState(false);
  const missing = bodyNotKept(capture, capture.body.data.length);
  return (
    <>
      <button type="button" className="btn btn--small" onClick={() => setOpen(true)} disabled={missing}
        title={missing ? 'Nothing to replay: ingest refused this delivery before keeping its body' : 'Send this request to another URL, as captured or edited'}>
        <SendIcon /> Replay
      </button>
      {open && <ReplayDialog capture={capture} onClose={() => setOpen(false)} />}
    </>
  );
}
