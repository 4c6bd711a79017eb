import type { ReactNode } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: ReactNode;
  count?: number;
}

interface Props<K extends string> {
  tabs: ReadonlyArray<TabItem<K>>;
  active: K;
  onChange: (key: K) => void;
  label: string;
}

/** A row of tabs (ARIA tablist); arrow keys move between them. */
export function Tabs<K extends string>({ tabs, active, onChange, label }: Props<K>) {
  const move = (delta: number) => {
    const index = tabs.findIndex((t) => t.key === active);
    const next = tabs[(index + delta + tabs.length) % tabs.length];
    if (next) onChange(next.key);
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}
      onKeyDown={(e) => {
        if (e.key === 'ArrowRight') move(1);
        if (e.key === 'ArrowLeft') move(-1);
      }}>
      {tabs.map((tab) => (
        <button key={tab.key} type="button" role="tab" className="tab" aria-selected={tab.key === active}
          tabIndex={tab.key === active ? 0 : -1} onClick={() => onChange(tab.key)}>
          {tab.label}
          {tab.count !== undefined && <span className="count">{tab.count}</span>}
        </button>
      ))}
    </div>
  );
}

/** Two-to-four exclusive choices shown as a pressed-button group. */
export function Segmented<K extends string>({ options, value, onChange, label }: {
  options: ReadonlyArray<{ value: K; label: string }>; value: K; onChange: (value: K) => void; label: string;
}) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={o.value === value} onClick={() => onChange(o.value)}>{o.label}</button>
      ))}
    </div>
  );
}
