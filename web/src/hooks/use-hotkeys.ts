import { useEffect, useRef } from 'react';

/** Key → handler; keys are `KeyboardEvent.key` values ("j", "Enter", "/", "Escape"). */
export type HotkeyMap = Partial<Record<string, (event: KeyboardEvent) => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Page-wide single-key shortcuts, ignored while typing in a field, with a modifier held, or
 * while a modal dialog is open.
 */
export function useHotkeys(map: HotkeyMap): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('[aria-modal="true"]')) return;
      if (event.key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('button, a, [role="tab"]')) return;
      const handler = ref.current[event.key];
      if (!handler) return;
      event.preventDefault();
      handler(event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
