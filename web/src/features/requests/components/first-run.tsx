import type { ReactNode } from 'react';
import { CopyButton } from '../../../components/ui/copy-button';
import { SendIcon } from '../../../components/ui/icons';
import { shellQuote } from '../../../lib/shell-quote';

interface Props {
  ingestUrl: string;
  onSendTestEvent: () => void;
}

/** An empty endpoint: how to send the first webhook, with a ready curl line. */
export function FirstRun({ ingestUrl, onSendTestEvent }: Props) {
  const curl = `curl -X POST ${shellQuote(ingestUrl)} \\\n  -H 'Content-Type: application/json' \\\n  -d '{"event":"hello","data":{"id":1}}'`;
  return (
    <div className="empty first-run" data-testid="first-run">
      <h2>Waiting for the first webhook</h2>
      <p>Point your platform's webhook setting at this endpoint's URL. Every delivery appears here the moment it arrives, with its exact bytes, headers and verdicts.</p>
      <ol>
        <Step>Copy the URL from the top bar, or try it from a terminal:</Step>
      </ol>
      <div className="snippet">
        <pre className="mono">{curl}</pre>
        <CopyButton text={curl.replace(/\\\n\s+/g, '')} title="Copy curl command" />
      </div>
      <ol start={2}>
        <Step>Any method and any sub-path work: <code>{ingestUrl}/orders/42?retry=1</code> is captured too.</Step>
        <Step>Set up signature checks and event schemas in <strong>Settings</strong>, or send a sample event:</Step>
      </ol>
      <div>
        <button type="button" className="btn" onClick={onSendTestEvent}><SendIcon /> Send a test event</button>
      </div>
    </div>
  );
}

function Step({ children }: { children: ReactNode }) {
  return <li>{children}</li>;
}

/** No request matches the search: among all the endpoint holds (server), or all it has loaded (which is all of them). */
export function NoMatches({ searchedAll, total, onReset }: { searchedAll: boolean; total: number; onReset: () => void }) {
  return (
    <div className="empty">
      <h2>No matching requests</h2>
      <p>{searchedAll ? `None of the ${total.toLocaleString()} requests of this endpoint matches this search.` : 'Nothing matches this search.'}</p>
      <button type="button" className="btn" onClick={onReset}>Clear search</button>
    </div>
  );
}
