import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';

type Control = ReactElement<{ id?: string; 'aria-describedby'?: string }>;

/**
 * A labelled form control with an optional hint under it: the label names the control (for=id)
 * and the hint describes it (aria-describedby), so a screen reader says both, each once.
 */
export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: Control }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const control = isValidElement(children) ? cloneElement(children, { id, 'aria-describedby': hint ? hintId : undefined }) : children;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {control}
      {hint && <small id={hintId}>{hint}</small>}
    </div>
  );
}

export type Patch<T> = (patch: Partial<T>) => void;
