import { useState } from 'react';
import type { CaptureView } from '../../../../../shared/capture';
import { Dialog } from '../../../components/ui/dialog';
import { CheckIcon, TerminalIcon } from '../../../components/ui/icons';
import { useNotify } from '../../../components/ui/toasts';
import { errorMessage, useApi } from '../../../lib/api-client';
import { copyText } from '../../../lib/clipboard';
import { fetchCurlCommand } from '../api/curl-api';

interface Props {
  capture: CaptureView;
  /** Why there is nothing to copy (a body that was not kept); the button is disabled with it. */
  unavailable: string | null;
}

/** "Copy as curl": the server's command; shown in a dialog when the clipboard refuses it. */
export function CurlButton({ capture, unavailable }: Props) {
  const api = useApi();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const [shown, setShown] = useState<string | null>(null);

  const copy = async () => {
    setBusy(true);
    try {
      const { command, binaryBody } = await fetchCurlCommand(api, capture.id);
      if (await copyText(command)) {
        setCopied(true);
        setTimeout(() => setCopied(false), 1400);
        notify(binaryBody ? 'Copied: the command writes the body to a file first, then sends it' : 'Copied the curl command');
      } else setShown(command);
    } catch (error) {
      notify(`Cannot make the curl command: ${errorMessage(error)}`, { error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="btn btn--small" onClick={() => void copy()} disabled={busy || unavailable !== null}
        title={unavailable ?? 'A command that sends exactly these bytes again (bash, dash or any POSIX shell)'}>
        {copied ? <CheckIcon /> : <TerminalIcon />} {copied ? 'Copied' : 'Copy as curl'}
      </button>
      {shown !== null && (
        <Dialog title="Copy as curl" onClose={() => setShown(null)} footer={<button type="button" className="btn" onClick={() => setShown(null)}>Close</button>}>
          <div className="dialog__body">
            <p className="muted">The browser did not allow copying: select the command and copy it.</p>
            <pre className="code-block" data-testid="curl-command">{shown}</pre>
          </div>
        </Dialog>
      )}
    </>
  );
}
