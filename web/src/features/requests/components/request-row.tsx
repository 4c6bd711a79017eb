import { memo } from 'react';
import type { CaptureSummary } from '../../../../../shared/capture';
import {
  DuplicateBadge, EventTypeBadge, MethodLabel, RejectedBadge, SchemaBadge, SignatureBadge, StatusCode,
} from '../../../components/ui/badges';
import { RelativeTime } from '../../../components/ui/relative-time';
import { displayPath, formatBytes } from '../../../lib/format';
import { previewLine } from '../utils/body-facts';
import { BodyBadges } from './body-badges';

/** Height of a row, px (three lines: what, the verdicts and body badges, the body preview); matches .row in request-row.css. */
export const ROW_HEIGHT = 70;

interface Props {
  capture: CaptureSummary;
  selected: boolean;
  fresh: boolean;
  now: number;
  /** Pixel offset inside the virtual list. */
  top: number;
  onSelect: (id: string, open: boolean) => void;
}

/**
 * One request in the list, readable at a glance: method, path and time; the status with the markers
 * (rejected, duplicate, signature, schema — "no catalog event recognised" is left to the detail)
 * that never get pushed out, the body's type and encoding,
 * the event type (truncated first when space runs out) and size; then the body's first characters.
 * The delivery id shows on hover.
 */
export const RequestRow = memo(function RequestRow({ capture, selected, fresh, now, top, onSelect }: Props) {
  const path = displayPath(capture.path, capture.query);
  const preview = previewLine(capture);
  const eventType = capture.eventType ?? capture.verdicts.schema.eventType;
  return (
    <div role="option" aria-selected={selected} id={`row-${capture.id}`} data-capture-id={capture.id}
      className={`row ${fresh ? 'row--fresh' : ''}`} style={{ transform: `translateY(${top}px)` }}
      title={capture.deliveryId ? `Delivery id: ${capture.deliveryId}` : undefined}
      onClick={() => onSelect(capture.id, true)}>
      <span className="row__method"><MethodLabel method={capture.method} /></span>
      <span className="row__path" title={path}>{path}</span>
      <span className="row__time"><RelativeTime at={capture.receivedAt} now={now} /></span>
      <span className="row__status"><StatusCode status={capture.reply.status} /></span>
      <span className="row__badges">
        <span className="row__markers">
          <RejectedBadge capture={capture} />
          <DuplicateBadge capture={capture} />
          <SignatureBadge verdict={capture.verdicts.signature} />
          {capture.verdicts.schema.status !== 'unknown' && <SchemaBadge verdict={capture.verdicts.schema} />}
          <BodyBadges capture={capture} />
        </span>
        <EventTypeBadge eventType={eventType ?? undefined} />
      </span>
      <span className="row__size">{formatBytes(capture.size)}</span>
      {preview && <span className={`row__preview ${preview.plain ? '' : 'row__preview--note'}`} data-testid="row-preview">{preview.text}</span>}
    </div>
  );
});
