import type { Endpoint } from '../../shared/endpoint';
import { SECRET_MASK_PREFIX } from '../../shared/verify-config';
import { fingerprint } from '../signing/digests';

/**
 * An alert URL as a browser sees it. Slack and Mattermost incoming-webhook URLs are secrets (the
 * path is the credential), so anything past the host is replaced by a fingerprint:
 * `https://hooks.slack.com/••••1a2b3c4d`. Still a URL, so a form saved unchanged validates.
 */
export function maskAlertUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' && parsed.search === '' && parsed.username === '' && parsed.password === '') return url;
  return `${parsed.protocol}//${parsed.host}/${SECRET_MASK_PREFIX}${fingerprint(url)}`;
}

export function maskAlertUrls(endpoint: Endpoint): Endpoint {
  return { ...endpoint, alerts: (endpoint.alerts ?? []).map((alert) => ({ ...alert, url: maskAlertUrl(alert.url) })) };
}

/** Masked alert URLs sent back (the form saved unchanged) get their stored value again. */
export function restoreAlertUrls(next: Endpoint, previous: Endpoint): Endpoint {
  const stored = new Map((previous.alerts ?? []).map((alert) => [maskAlertUrl(alert.url), alert.url]));
  return { ...next, alerts: next.alerts.map((alert) => ({ ...alert, url: stored.get(alert.url) ?? alert.url })) };
}
