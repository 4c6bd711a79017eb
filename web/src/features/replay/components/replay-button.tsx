import { useState } from 'react';
import type { CaptureView } from '../../../../../shared/capture';
import { SendIcon } from '../../../components/ui/icons';
import { ReplayDialog } from './replay-dialog';

/** "Replay" in the request's action bar. */
export function ReplayButton({ capture }: { capture: CaptureView }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn--small" onClick={() => setOpen(true)}><SendIcon /> Replay</button>
      {open && <ReplayDialog capture={capture} onClose={() => setOpen(false)} />}
    </>
  );
}
