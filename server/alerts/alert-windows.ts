import { createHash } from 'node:crypto';
import type { AlertKind, AlertRule } from '../../shared/alerts';
import type { CaptureSummary } from '../../shared/capture';

/**
 * Alert windows, decided without I/O. Windows are fixed and aligned to the epoch (a 60 s window
 * starts on the minute) and placed by each capture's `receivedAt`, so every instance that sees
 * the same captures computes the same (endpoint, alert, window) — the key a message is claimed
 * under, once, in the alert ledger.
 */

/** A window that reached its alert's threshold (or a silence that lasted a window). */
export interface Firing {
  endpointId: string;
  alert: AlertRule;
  /** Position of the alert in the endpoint's `alerts`. */
  index: number;
  /** Stable name of the alert's settings (see alertKey). */
  key: string;
  windowStart: number; // ms since epoch
  count: number;
  /** Up to MAX_IDS of the captures counted, oldest first. */
  captureIds: string[];
}

export const MAX_IDS = 5;

/** Names an alert by its settings, so that reordering the list keeps each alert's windows. */
export function alertKey(alert: AlertRule): string {
  return createHash('sha256').update(`${alert.on}\n${alert.threshold}\n${alert.windowSec}\n${alert.url}`).digest('hex').slice(0, 16);
}

/** Whether a capture is one of the events an alert counts. */
export function counts(kind: AlertKind, capture: CaptureSummary): boolean {
  switch (kind) {
    case 'signature-invalid': {
      const status = capture.verdicts.signature.status;
      return status !== 'valid' && status !== 'skipped';
    }
    case 'schema-invalid':
      return capture.verdicts.schema.status === 'invalid';
    case 'rejected':
      return capture.reply.rejected !== undefined;
    case 'silence':
      return false;
  }
}

export function windowStartOf(ms: number, windowSec: number): number {
  const size = windowSec * 1000;
  return Math.floor(ms / size) * size;
}

interface WindowState {
  /** When the window stops taking late captures, ms: one window after it ended. */
  expires: number;
  count: number;
  ids: string[];
  fired: boolean;
}

/** Counts matching captures per (endpoint, alert, window); tells when a window reaches its threshold, once. */
export class WindowCounter {
  private windows = new Map<string, WindowState>();

  /** The windows this capture makes reach their threshold (each window is reported once). */
  add(alerts: readonly AlertRule[], capture: CaptureSummary): Firing[] {
    const firings: Firing[] = [];
    for (const [index, alert] of alerts.entries()) {
      if (!counts(alert.on, capture)) continue;
      const key = alertKey(alert);
      const windowStart = windowStartOf(capture.receivedAt, alert.windowSec);
      const id = `${capture.endpointId}\n${key}\n${windowStart}`;
      const state = this.windows.get(id) ?? { expires: windowStart + 2 * alert.windowSec * 1000, count: 0, ids: [], fired: false };
      this.windows.set(id, state);
      state.count += 1;
      if (state.ids.length < MAX_IDS) state.ids.push(capture.id);
      if (state.fired || state.count < alert.threshold) continue;
      state.fired = true;
      firings.push({ endpointId: capture.endpointId, alert, index, key, windowStart, count: state.count, captureIds: [...state.ids] });
    }
    return firings;
  }

  /** Forgets windows that ended more than a window ago (late captures still land in the last one). */
  prune(now: number): void {
    for (const [id, state] of this.windows) if (state.expires < now) this.windows.delete(id);
  }

  get size(): number {
    return this.windows.size;
  }
}

/**
 * A silence alert's firing, or null: when no delivery has arrived for `windowSec` since `since`
 * (the last delivery, or the last change of the endpoint's settings). One per silent stretch:
 * the stretch's start is the window key, so the next delivery re-arms it.
 */
export function silenceFiring(endpointId: string, alert: AlertRule, index: number, since: number, now: number): Firing | null {
  if (alert.on !== 'silence' || now - since < alert.windowSec * 1000) return null;
  return { endpointId, alert, index, key: alertKey(alert), windowStart: since, count: 0, captureIds: [] };
}
