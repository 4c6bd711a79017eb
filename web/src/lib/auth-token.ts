const STORAGE_KEY = 'hookscope.token';

/**
 * The admin token: taken from a `#token=…` fragment (the URL the server prints at start-up),
 * which is then stripped from the address bar so it is not bookmarked or shared, or else
 * from localStorage.
 */
export function takeTokenFromLocation(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  const fromHash = new URLSearchParams(hash).get('token');
  if (fromHash) {
    saveToken(fromHash);
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', pathname + search);
    return fromHash;
  }
  return loadToken();
}

export function loadToken(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, token);
  } catch {
    // storage disabled: the token lives for this page only
  }
}

export function forgetToken(): void {
  try {
    window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}
