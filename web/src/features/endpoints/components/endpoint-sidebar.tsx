import { useState, type ReactNode } from 'react';
import type { EndpointView } from '../../../../../shared/endpoint';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { LogoIcon, PlusIcon } from '../../../components/ui/icons';
import { useNotify } from '../../../components/ui/toasts';
import { errorMessage, useApi } from '../../../lib/api-client';
import { createEndpoint, deleteEndpoint, renameEndpoint } from '../api/endpoints-api';
import { EndpointRow, NameInput } from './endpoint-row';

interface Props {
  endpoints: readonly EndpointView[];
  /** Captures each endpoint holds, kept live from the stream. */
  counts: Readonly<Record<string, number>>;
  /** Endpoints that received something the user has not looked at. */
  unseen: ReadonlySet<string>;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** An endpoint was created or renamed (the stream will say so too; applying twice is harmless). */
  onSaved: (endpoint: EndpointView) => void;
  onDeleted: (id: string) => void;
  footer: ReactNode;
}

/** The endpoint list: select, create, rename, delete; capture counts. */
export function EndpointSidebar({ endpoints, counts, unseen, selectedId, onSelect, onSaved, onDeleted, footer }: Props) {
  const api = useApi();
  const notify = useNotify();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<EndpointView | null>(null);

  const create = async (name: string) => {
    setCreating(false);
    try {
      const endpoint = await createEndpoint(api, name);
      onSaved(endpoint);
      onSelect(endpoint.id);
    } catch (error) {
      notify(`Could not create the endpoint: ${errorMessage(error)}`, { error: true });
    }
  };
  const rename = async (id: string, name: string) => {
    setRenaming(null);
    try {
      onSaved(await renameEndpoint(api, id, name));
    } catch (error) {
      notify(`Could not rename: ${errorMessage(error)}`, { error: true });
    }
  };
  const remove = async (endpoint: EndpointView) => {
    setDeleting(null);
    try {
      await deleteEndpoint(api, endpoint.id);
      onDeleted(endpoint.id);
      notify(`Deleted “${endpoint.name}”`);
    } catch (error) {
      notify(`Could not delete: ${errorMessage(error)}`, { error: true });
    }
  };

  return (
    <nav className="sidebar" aria-label="Endpoints">
      <div className="brand"><LogoIcon size={20} className="brand__logo" /> Hookscope</div>
      <div className="sidebar__section">
        <span className="spacer">Endpoints</span>
        <button type="button" className="btn btn--small btn--icon btn--ghost" title="New endpoint" aria-label="New endpoint"
          onClick={() => setCreating(true)}><PlusIcon /></button>
      </div>
      <ul className="sidebar__list">
        {endpoints.map((endpoint) => (
          <li key={endpoint.id}>
            {renaming === endpoint.id ? (
              <NameInput label="Endpoint name" initial={endpoint.name} onDone={(name) => (name ? void rename(endpoint.id, name) : setRenaming(null))} />
            ) : (
              <EndpointRow endpoint={endpoint} count={Math.min(counts[endpoint.id] ?? endpoint.captureCount, endpoint.retention.maxCaptures)}
                selected={endpoint.id === selectedId} unseen={unseen.has(endpoint.id)} onSelect={() => onSelect(endpoint.id)}
                onRename={() => setRenaming(endpoint.id)} onDelete={() => setDeleting(endpoint)} />
            )}
          </li>
        ))}
        {creating && (
          <li><NameInput label="New endpoint name" initial="" placeholder="e.g. Stripe staging" onDone={(name) => (name ? void create(name) : setCreating(false))} /></li>
        )}
      </ul>
      <div className="sidebar__footer">{footer}</div>
      {deleting && (
        <ConfirmDialog title="Delete endpoint?" confirmLabel="Delete endpoint" onCancel={() => setDeleting(null)} onConfirm={() => void remove(deleting)}
          message={<p>“{deleting.name}” and all its captured requests will be deleted. Senders pointed at <code>{deleting.ingestPath}</code> will get 404.</p>} />
      )}
    </nav>
  );
}
