/**
 * What the address bar keeps so a view can be shared and survives a reload: the endpoint shown
 * (`?endpoint=`) and its search (`&q=`, the query language as typed). Never the token: that
 * comes in a `#token=` fragment and is stripped at once (auth-token.ts).
 */
export interface UrlState {
  endpoint: string | null;
  q: string;
}

export function readUrlState(): UrlState {
  const params = new URLSearchParams(window.location.search);
  return { endpoint: params.get('endpoint'), q: params.get('q') ?? '' };
}

/** Updates the address bar in place (no history entry per keystroke). */
export function writeUrlState(patch: Partial<UrlState>): void {
  const params = new URLSearchParams(window.location.search);
  if (patch.endpoint !== undefined) {
    if (patch.endpoint) params.set('endpoint', patch.endpoint);
    else params.delete('endpoint');
  }
  if (patch.q !== undefined) {
    if (patch.q.trim()) params.set('q', patch.q);
    else params.delete('q');
  }
  const search = params.toString();
  const next = `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`;
  if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(window.history.state, '', next);
}
