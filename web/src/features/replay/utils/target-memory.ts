const key = (endpointId: string) => `hookscope.replay-target.${endpointId}`;

/** The replay target last used for an endpoint (kept in this browser). */
export function rememberedTarget(endpointId: string): string {
  try {
    return window.localStorage.getItem(key(endpointId)) ?? 'http://localhost:3000/webhook';
  } catch {
    return 'http://localhost:3000/webhook';
  }
}

export function rememberTarget(endpointId: string, url: string): void {
  try {
    window.localStorage.setItem(key(endpointId), url);
  } catch {
    // not remembered
  }
}
