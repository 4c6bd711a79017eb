import { useEffect, useState } from 'react';
import { copyText } from '../../lib/clipboard';
import { CheckIcon, CopyIcon } from './icons';

interface Props {
  /** Text to copy, or a function computing it on click. */
  text: string | (() => string);
  /** Visible label; icon-only when absent. */
  label?: string;
  /** Accessible name for the icon-only button. */
  title?: string;
  small?: boolean;
}

/** Copies text and confirms with a check mark for a moment. */
export function CopyButton({ text, label, title = 'Copy', small = true }: Props) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1400);
    return () => clearTimeout(timer);
  }, [copied]);
  const className = `btn ${small ? 'btn--small' : ''} ${label ? '' : 'btn--icon btn--ghost'}`;
  return (
    <button type="button" className={className} title={title} aria-label={label ? undefined : title}
      onClick={async () => setCopied(await copyText(typeof text === 'function' ? text() : text))}>
      {copied ? <CheckIcon /> : <CopyIcon />}
      {label && <span>{copied ? 'Copied' : label}</span>}
    </button>
  );
}
