import { useEffect, useId, useRef, type ReactNode } from 'react';
import { CloseIcon } from './icons';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** `small`: a short confirmation; `tall`: one fixed height whatever its content (tabbed dialogs). */
  size?: 'normal' | 'small' | 'tall';
  /** Same as size="small". */
  small?: boolean;
}

/**
 * A modal: Escape or a click on the backdrop closes it; focus moves into it on open. On a phone it
 * is a full-screen sheet (a small one sits at the bottom): the body scrolls, the footer's actions
 * stay on screen.
 */
export function Dialog({ title, onClose, children, footer, small, size = small ? 'small' : 'normal' }: Props) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.dialog__close)');
    (first ?? ref.current)?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        close.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} className={`dialog dialog--${size}`} role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1}>
        <div className="dialog__head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="btn btn--icon btn--ghost dialog__close" aria-label="Close" onClick={onClose}><CloseIcon /></button>
        </div>
        {children}
        {footer && <div className="dialog__foot">{footer}</div>}
      </div>
    </div>
  );
}

interface ConfirmProps {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** In-app confirmation (never `window.confirm`, which blocks the page and the stream). */
export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onCancel }: ConfirmProps) {
  return (
    <Dialog title={title} onClose={onCancel} small footer={<>
      <button type="button" className="btn" onClick={onCancel}>Cancel</button>
      <button type="button" className="btn btn--primary" onClick={onConfirm}>{confirmLabel}</button>
    </>}>
      <div className="dialog__body">{message}</div>
    </Dialog>
  );
}
