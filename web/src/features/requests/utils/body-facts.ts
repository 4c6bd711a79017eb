import type { CaptureSummary } from '../../../../../shared/capture';

/** A short name for a content type, for a badge: `json`, `form`, `multipart`, `xml`, `text`, `html`… */
export function contentLabel(contentType: string | null): string | null {
  if (!contentType) return null;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === '') return null;
  if (type.endsWith('/json') || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('multipart/')) return 'multipart';
  if (type.endsWith('/xml') || type.endsWith('+xml')) return 'xml';
  if (type === 'text/plain') return 'text';
  if (type === 'application/octet-stream') return 'octet-stream';
  const sub = type.split('/')[1] ?? type;
  return sub.length > 16 ? `${sub.slice(0, 15)}…` : sub;
}

/** Ingest refused it before keeping the body (over the size limit, or the memory budget). */
export function bodyWasRefused(capture: CaptureSummary): boolean {
  return capture.reply.rejected !== undefined && (capture.reply.status === 413 || capture.reply.status === 503) && capture.size > 0;
}

/** The line under a row: the body's first characters, or what stands in for them. */
export function previewLine(capture: CaptureSummary): { text: string; plain: boolean } | null {
  if (bodyWasRefused(capture)) return { text: `body not kept: ${capture.reply.rejected ?? 'refused at ingest'}`, plain: false };
  if (capture.size === 0) return { text: 'no body', plain: false };
  const preview = capture.preview;
  if (!preview) return null; // stored before previews were kept
  if (preview.binary) return { text: `binary body${preview.encoding ? `, ${preview.encoding}-encoded` : ''}`, plain: false };
  if (preview.text === '') return { text: preview.encoding ? `${preview.encoding}-encoded body` : 'blank body', plain: false };
  return { text: preview.text, plain: true };
}
