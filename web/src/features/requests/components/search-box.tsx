import { useId, useMemo, useState, type KeyboardEvent, type RefObject } from 'react';
import { SearchIcon } from '../../../components/ui/icons';
import type { QueryProblem } from '../hooks/use-search';
import { applyHint, queryHints, type HintContext, type QueryHint } from '../utils/query-hints';

interface Props {
  value: string;
  onChange: (text: string) => void;
  problem: QueryProblem | null;
  context: HintContext;
  inputRef: RefObject<HTMLInputElement | null>;
}

/**
 * The search box: the query language with hints for the word under the caret (fields with an
 * example each, then the values a field takes, event types and methods seen here), picked with
 * the arrows and Enter or Tab, or the mouse. Esc closes the hints, then clears the box.
 */
export function SearchBox({ value, onChange, problem, context, inputRef }: Props) {
  const listId = useId();
  const [caret, setCaret] = useState(value.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const suggestions = useMemo(() => queryHints(value, caret, context), [value, caret, context]);
  const hints = open && suggestions ? suggestions.hints : [];

  const moveCaret = (at: number) => requestAnimationFrame(() => {
    inputRef.current?.setSelectionRange(at, at);
    setCaret(at);
  });
  const pick = (hint: QueryHint) => {
    if (!suggestions) return;
    const next = applyHint(value, suggestions.word, hint);
    onChange(next.text);
    moveCaret(next.caret);
    setActive(-1);
    setOpen(/[:"-]$/.test(hint.insert)); // a field name or a quote goes on being typed
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (hints.length === 0 ? -1 : (index + step + hints.length) % hints.length));
    } else if ((event.key === 'Enter' || event.key === 'Tab') && hints.length > 0 && (active >= 0 || event.key === 'Tab')) {
      event.preventDefault();
      pick(hints[Math.max(0, active)] as QueryHint);
    } else if (event.key === 'Enter') {
      setOpen(false);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      if (hints.length > 0) setOpen(false);
      else if (value) onChange('');
      else event.currentTarget.blur();
    }
  };

  return (
    <div className={`search ${problem ? 'search--problem' : ''}`}>
      <SearchIcon className="search__icon" />
      <input ref={inputRef} className="input search__input" type="text" role="combobox" aria-label="Search requests"
        aria-expanded={hints.length > 0} aria-controls={listId} aria-autocomplete="list"
        aria-activedescendant={active >= 0 && hints.length > 0 ? `${listId}-${active}` : undefined}
        aria-invalid={problem !== null} aria-describedby={problem ? PROBLEM_ID : undefined}
        spellCheck={false} autoComplete="off" autoCapitalize="off" placeholder="Search: words, method:PUT, sig:invalid…"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setCaret(e.target.selectionStart ?? e.target.value.length);
          setOpen(true);
          setActive(-1);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? value.length)}
        onFocus={() => setOpen(true)} onBlur={() => setOpen(false)} onKeyDown={onKeyDown} />
      {value ? (
        <button type="button" className="search__clear" aria-label="Clear search" onMouseDown={(e) => e.preventDefault()}
          onClick={() => { onChange(''); inputRef.current?.focus(); }}>×</button>
      ) : <span className="kbd" aria-hidden="true">/</span>}
      {hints.length > 0 && <HintList id={listId} hints={hints} active={active} onPick={pick} onHover={setActive} />}
    </div>
  );
}

interface HintListProps {
  id: string;
  hints: QueryHint[];
  active: number;
  onPick: (hint: QueryHint) => void;
  onHover: (index: number) => void;
}

/** The hints under the box; clicking one keeps the focus in the box. */
function HintList({ id, hints, active, onPick, onHover }: HintListProps) {
  return (
    <ul className="search-hints" role="listbox" id={id} aria-label="Search hints">
      {hints.map((hint, index) => (
        <li key={hint.label} id={`${id}-${index}`} role="option" aria-selected={index === active} className="search-hints__item"
          onMouseDown={(e) => e.preventDefault()} onClick={() => onPick(hint)} onMouseEnter={() => onHover(index)}>
          <code>{hint.label}</code>
          {hint.description && <span className="search-hints__what">{hint.description}</span>}
        </li>
      ))}
    </ul>
  );
}

const PROBLEM_ID = 'search-problem';

/** Where a query goes wrong: the text up to there, the character marked, and what was expected (under the toolbar's first row). */
export function QueryProblemLine({ problem }: { problem: QueryProblem }) {
  const { text, position } = problem;
  const from = Math.max(0, position - 32);
  return (
    <div className="search-problem" role="alert" id={PROBLEM_ID} data-testid="search-problem">
      <code className="search-problem__text">
        {from > 0 && '…'}{text.slice(from, position)}<mark className="search-problem__at">{text[position] ?? ' '}</mark>{text.slice(position + 1, position + 40)}
      </code>
      <span className="search-problem__detail">{problem.detail} <span className="search-problem__where">(character {position + 1})</span></span>
      {problem.expected && <span className="search-problem__expected">Expected {problem.expected}</span>}
    </div>
  );
}
