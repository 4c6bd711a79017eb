import { useCallback, useMemo, useState } from 'react';
import { ToastProvider } from '../components/ui/toasts';
import { LoginScreen } from '../features/auth/components/login-screen';
import { ApiClient, ApiContext } from '../lib/api-client';
import { forgetToken, saveToken, takeTokenFromLocation } from '../lib/auth-token';
import { Inspector } from './inspector';

/** The login gate: the inspector is shown once a token is known; a rejected token signs out. */
export function App() {
  const [token, setToken] = useState<string | null>(() => takeTokenFromLocation());
  const [notice, setNotice] = useState<string | null>(null);

  const logout = useCallback((reason: string | null) => {
    forgetToken();
    setNotice(reason);
    setToken(null);
  }, []);
  const api = useMemo(
    () => (token ? new ApiClient(token, () => logout('The server rejected the saved token. Sign in again.')) : null),
    [token, logout],
  );

  return (
    <ToastProvider>
      {api && token ? (
        <ApiContext.Provider value={api}>
          <Inspector key={token} token={token} onLogout={logout} />
        </ApiContext.Provider>
      ) : (
        <LoginScreen notice={notice} onLogin={(value) => {
          saveToken(value);
          setNotice(null);
          setToken(value);
        }} />
      )}
    </ToastProvider>
  );
}
