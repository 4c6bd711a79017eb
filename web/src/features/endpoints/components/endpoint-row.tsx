import { useRef, useState } from 'react';
import type { EndpointView } from '../../../../../shared/endpoint';
import { PencilIcon, TrashIcon } from '../../../components/ui/icons';

interface RowProps {
  endpoint: EndpointView;
  count: number;
  selected: boolean;
  unseen: boolean;
  onSelect: () => void;
  onRename: () => void;
  onDelete: () => void;
}

export function EndpointRow({ endpoint, count, selected, unseen, onSelect, onRename, onDelete }: RowProps) {
  return (
    <div className="endpoint-row">
      <button type="button" className="endpoint-item" aria-current={selected} onClick={onSelect} onDoubleClick={onRename} title={endpoint.ingestPath}>
        <span className="endpoint-item__name">{endpoint.name}</span>
        {unseen && <><span className="endpoint-item__dot" aria-hidden="true" /><span className="visually-hidden">, new requests</span></>}
        <span className="endpoint-item__count">{count.toLocaleString()}<span className="visually-hidden"> requests</span></span>
      </button>
      <span className="endpoint-actions">
        <button type="button" className="btn btn--small btn--icon btn--ghost" aria-label={`Rename ${endpoint.name}`} title="Rename" onClick={onRename}><PencilIcon /></button>
        <button type="button" className="btn btn--small btn--icon btn--ghost" aria-label={`Delete ${endpoint.name}`} title="Delete" onClick={onDelete}><TrashIcon /></button>
      </span>
    </div>
  );
}

/** Inline name editor: Enter saves, Escape or blur without a change cancels (empty string). */
export function NameInput({ label, initial, placeholder, onDone }: { label: string; initial: string; placeholder?: string; onDone: (name: string) => void }) {
  const [value, setValue] = useState(initial);
  const done = useRef(false);
  const finish = (save: boolean) => {
    if (done.current) return;
    done.current = true;
    onDone(save && value.trim() !== initial ? value.trim() : '');
  };
  return (
    <input className="input endpoint-rename" aria-label={label} autoFocus value={value} placeholder={placeholder} maxLength={200}
      onChange={(e) => setValue(e.target.value)} onBlur={() => finish(value.trim() !== '')}
      onKeyDown={(e) => {
        if (e.key === 'Enter') finish(true);
        if (e.key === 'Escape') finish(false);
      }} />
  );
}
