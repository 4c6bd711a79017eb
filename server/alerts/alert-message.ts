import type { AlertKind, AlertMessage } from '../../shared/alerts';
import type { Firing } from './alert-windows';

const WHAT: Record<Exclude<AlertKind, 'silence'>, string> = {
  'signature-invalid': 'with a failed signature check',
  'schema-invalid': 'whose payload failed its schema',
  rejected: 'refused by Hookscope',
};

/** `90 s`, `10 min`, `2 h`, `1 d`. */
export function spanText(sec: number): string {
  if (sec % 86_400 === 0) return `${sec / 86_400} d`;
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

/** The JSON POSTed for a firing: Slack/Mattermost `text` plus the facts a program needs. */
export function alertMessage(firing: Firing, endpointName: string): AlertMessage {
  const { alert } = firing;
  const at = new Date(firing.windowStart).toISOString();
  const ids = firing.captureIds.length > 0 ? ` Captures: ${firing.captureIds.join(', ')}.` : '';
  const text = alert.on === 'silence'
    ? `Hookscope: no delivery on “${endpointName}” (${firing.endpointId}) for ${spanText(alert.windowSec)}, since ${at}.`
    : `Hookscope: ${firing.count} deliver${firing.count === 1 ? 'y' : 'ies'} ${WHAT[alert.on]} on “${endpointName}” (${firing.endpointId}) within ${spanText(alert.windowSec)} (window from ${at}).${ids}`;
  return {
    text, endpointId: firing.endpointId, alert: alert.on, count: firing.count, windowSec: alert.windowSec,
    windowStart: firing.windowStart, captureIds: firing.captureIds,
  };
}
