import { memo } from 'react';
import type { CaptureSummary } from '../../../../../shared/capture';
import {
  DuplicateBadge, EventTypeBadge, MethodLabel, RejectedBadge, SchemaBadge, SignatureBadge, StatusCode,
} from '../../../components/ui/badges';
import { RelativeTime } from '../../../components/ui/relative-time';
import { displayPath, formatBytes } from '../../../lib/format';

interface Props {
  capture: CaptureSummary;
  selected: boolean;
  fresh: boolean;
  now: number;
  /** Pixel offset inside the virtual list. */
  top: number;
  onSelect: (id: string, open: boolean) => void;
}

/** One request in the list: what, when, how big, what we answered, and the verdicts. */
export const RequestRow = memo(function RequestRow({ capture, selected, fresh, now, top, onSelect }: Props) {
  const path = displayPath(capture.path, capture.query);
  return (
    <div role="option" aria-selected={selected} id={`row-${capture.id}`} data-capture-id={capture.id}
      className={`row ${fresh ? 'row--fresh' : ''}`} style={{ transform: `translateY(${top}px)` }}
      onClick={() => onSelect(capture.id, true)}>
      <span className="row__method"><MethodLabel method={capture.method} /></span>
      <span className="row__path" title={path}>{path}</span>
      <span className="row__time"><RelativeTime at={capture.receivedAt} now={now} /></span>
      <span className="row__status"><StatusCode status={capture.reply.status} /></span>
      <span className="row__badges">
        <RejectedBadge capture={capture} />
        <SignatureBadge verdict={capture.verdicts.signature} />
        <SchemaBadge verdict={capture.verdicts.schema} />
        <EventTypeBadge eventType={capture.verdicts.schema.eventType} />
        <DuplicateBadge capture={capture} />
      </span>
      <span className="row__size">{formatBytes(capture.size)}</span>
    </div>
  );
});
