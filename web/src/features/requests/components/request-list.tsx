import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';
import type { CaptureSummary } from '../../../../../shared/capture';
import { RequestRow, ROW_HEIGHT } from './request-row';

const FOOTER_HEIGHT = 32; // px

interface Props {
  items: readonly CaptureSummary[];
  selectedId: string | null;
  isFresh: (id: string) => boolean;
  now: number;
  onSelect: (id: string, open: boolean) => void;
  /** Shown under the last row ("Loading older…", "Newest 20,000 of 31,200", "Load older matches"). */
  footer: ReactNode;
}

/** The virtualized request list: only the rows in view are in the DOM, so 10,000 scroll smoothly. */
export function RequestList({ items, selectedId, isFresh, now, onSelect, footer }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => items[index]?.id ?? index,
  });

  const selectedIndex = selectedId === null ? -1 : items.findIndex((c) => c.id === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const height = virtualizer.getTotalSize();
  return (
    <div ref={scrollRef} className="request-list" role="listbox" aria-label="Requests" tabIndex={-1}
      aria-activedescendant={selectedId ? `row-${selectedId}` : undefined}>
      <div className="request-list__inner" style={{ height: height + (footer ? FOOTER_HEIGHT : 0) }}>
        {virtualizer.getVirtualItems().map((row) => {
          const capture = items[row.index] as CaptureSummary;
          return (
            <RequestRow key={capture.id} capture={capture} top={row.start} now={now} selected={capture.id === selectedId}
              fresh={isFresh(capture.id)} onSelect={onSelect} />
          );
        })}
        {footer && <div className="list-footer" style={{ top: height }}>{footer}</div>}
      </div>
    </div>
  );
}
