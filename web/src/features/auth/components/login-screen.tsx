import { useState, type FormEvent } from 'react';
import { LogoIcon } from '../../../components/ui/icons';
import { checkToken } from '../api/auth-api';

interface Props {
  /** Called with a token the server accepted. */
  onLogin: (token: string) => void;
  /** Why the user is here again (token rejected, logged out…). */
  notice?: string | null;
}

/** Asks for the admin token (kept in the data folder, or set by HOOKSCOPE_TOKEN) and checks it before keeping it. */
export function LoginScreen({ onLogin, notice }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) return;
    setBusy(true);
    setError(null);
    const problem = await checkToken(value);
    setBusy(false);
    if (problem) setError(problem);
    else onLogin(value);
  };

  return (
    <main className="center-screen">
      <div className="login-card">
        <h1><LogoIcon size={22} className="brand__logo" /> Hookscope</h1>
        <p>Paste the admin token. Started in a terminal, Hookscope also prints a link that signs you in directly: <code>Inspector: http://…/#token=…</code></p>
        {notice && !error && <p className="notice" role="status">{notice}</p>}
        <form onSubmit={submit}>
          <label className="visually-hidden" htmlFor="token">Admin token</label>
          <input id="token" className="input" type="password" autoComplete="current-password" autoFocus
            placeholder="Admin token" value={token} onChange={(e) => setToken(e.target.value)} />
          {error && <div className="notice notice--error" role="alert">{error}</div>}
          <button type="submit" className="btn btn--primary" disabled={busy || !token.trim()}>{busy ? 'Checking…' : 'Sign in'}</button>
        </form>
        <p style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          The token is kept in <code>&lt;data&gt;/token</code>, or set with <code>HOOKSCOPE_TOKEN</code>.
        </p>
      </div>
    </main>
  );
}
