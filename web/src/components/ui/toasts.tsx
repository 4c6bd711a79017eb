import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

interface Toast {
  id: number;
  text: string;
  error: boolean;
}

type Notify = (text: string, options?: { error?: boolean }) => void;

const ToastContext = createContext<Notify>(() => undefined);

/** Short confirmations and errors in the corner; each disappears after a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const notify = useCallback<Notify>((text, options) => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-3), { id, text, error: options?.error ?? false }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), options?.error ? 6000 : 2500);
  }, []);
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => <div key={t.id} className={`toast ${t.error ? 'toast--error' : ''}`}>{t.text}</div>)}
      </div>
    </ToastContext.Provider>
  );
}

export function useNotify(): Notify {
  return useContext(ToastContext);
}
