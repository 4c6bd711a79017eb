import type { ResponseRule, RuleFail, RuleMatch } from '../../../../../shared/rules';
import { PlusIcon, TrashIcon } from '../../../components/ui/icons';
import type { Draft } from '../utils/draft';
import { Field, type Patch } from './field';
import { RulePreviewPanel } from './rule-preview';

type Action = 'response' | 'status' | 'drop' | 'timeout';
type When = 'always' | 'first' | 'rate';

const num = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value));
const text = (value: string): string | undefined => (value === '' ? undefined : value);

function actionOf(rule: ResponseRule): Action {
  if (rule.response) return 'response';
  return rule.fail?.drop ? 'drop' : rule.fail?.timeoutMs !== undefined ? 'timeout' : 'status';
}
const whenOf = (fail: RuleFail | undefined): When => (fail?.firstAttempts !== undefined ? 'first' : fail?.rate !== undefined ? 'rate' : 'always');

/** Response rules: first match wins, else the endpoint's response; with a preview that stores nothing. */
export function RulesForm({ draft, patch, endpointId }: { draft: Draft; patch: Patch<Draft>; endpointId: string }) {
  const rules = draft.rules;
  const set = (index: number, rule: ResponseRule) => patch({ rules: rules.map((r, i) => (i === index ? rule : r)) });
  const move = (index: number, by: number) => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule as ResponseRule);
    patch({ rules: next });
  };
  return (
    <div className="form">
      <p className="muted">The first rule whose conditions all hold answers; a failure that does not fire falls through to the next rule, then to the Response tab’s answer.</p>
      {rules.map((rule, i) => (
        <RuleCard key={i} index={i} rule={rule} count={rules.length} onChange={(r) => set(i, r)} onMove={(by) => move(i, by)}
          onRemove={() => patch({ rules: rules.filter((_, j) => j !== i) })} />
      ))}
      <div><button type="button" className="btn btn--small" onClick={() => patch({ rules: [...rules, { match: {}, response: { status: 200 } }] })}><PlusIcon /> Add rule</button></div>
      <RulePreviewPanel endpointId={endpointId} rules={rules} />
    </div>
  );
}

interface CardProps { index: number; rule: ResponseRule; count: number; onChange: (rule: ResponseRule) => void; onMove: (by: number) => void; onRemove: () => void }

function RuleCard({ index, rule, count, onChange, onMove, onRemove }: CardProps) {
  const match = rule.match;
  const setMatch = (m: Partial<RuleMatch>) => onChange({ ...rule, match: Object.fromEntries(Object.entries({ ...match, ...m }).filter(([, v]) => v !== undefined)) });
  const action = actionOf(rule);
  const when = whenOf(rule.fail);
  const setFail = (f: Partial<RuleFail>) => onChange({ ...rule, response: undefined, fail: { ...rule.fail, ...f } });
  const setAction = (next: Action) => {
    const timing = rule.fail ? { firstAttempts: rule.fail.firstAttempts, rate: rule.fail.rate } : {};
    if (next === 'response') onChange({ ...rule, fail: undefined, response: { status: 200 } });
    else if (next === 'status') onChange({ ...rule, response: undefined, fail: { ...timing, status: 503 } });
    else if (next === 'drop') onChange({ ...rule, response: undefined, fail: { ...timing, drop: true } });
    else onChange({ ...rule, response: undefined, fail: { ...timing, timeoutMs: 30_000 } });
  };
  const setWhen = (next: When) => setFail({ firstAttempts: next === 'first' ? 2 : undefined, rate: next === 'rate' ? 0.5 : undefined });
  return (
    <fieldset className="rule-card" aria-label={`Rule ${index + 1}`}>
      <div className="rule-card__head">
        <strong>#{index + 1}</strong>
        <input className="input" placeholder="Name (optional)" aria-label="Rule name" value={rule.name ?? ''} onChange={(e) => onChange({ ...rule, name: text(e.target.value) })} />
        <button type="button" className="btn btn--small" disabled={index === 0} aria-label="Move up" onClick={() => onMove(-1)}>↑</button>
        <button type="button" className="btn btn--small" disabled={index === count - 1} aria-label="Move down" onClick={() => onMove(1)}>↓</button>
        <button type="button" className="btn btn--icon" aria-label="Remove rule" onClick={onRemove}><TrashIcon /></button>
      </div>
      <div className="rule-grid">
        <Field label="Method"><input className="input mono" placeholder="any" value={match.method ?? ''} onChange={(e) => setMatch({ method: text(e.target.value) })} /></Field>
        <Field label="Path glob"><input className="input mono" placeholder="/orders/*" value={match.path ?? ''} onChange={(e) => setMatch({ path: text(e.target.value) })} /></Field>
        <Field label="Event type glob"><input className="input mono" placeholder="message.*" value={match.eventType ?? ''} onChange={(e) => setMatch({ eventType: text(e.target.value) })} /></Field>
        <Field label="Header name"><input className="input mono" placeholder="X-Env" value={match.header?.name ?? ''}
          onChange={(e) => setMatch({ header: e.target.value ? { ...match.header, name: e.target.value } : undefined })} /></Field>
        <Field label="Header value glob"><input className="input mono" placeholder="any" disabled={!match.header} value={match.header?.value ?? ''}
          onChange={(e) => match.header && setMatch({ header: { name: match.header.name, value: text(e.target.value) } })} /></Field>
        <Field label="Body contains"><input className="input mono" value={match.bodyContains ?? ''} onChange={(e) => setMatch({ bodyContains: text(e.target.value) })} /></Field>
      </div>
      <div className="rule-grid">
        <Field label="Then">
          <select className="input" aria-label="Rule action" value={action} onChange={(e) => setAction(e.target.value as Action)}>
            <option value="response">answer</option>
            <option value="status">fail with status</option>
            <option value="drop">drop connection</option>
            <option value="timeout">time out</option>
          </select>
        </Field>
        {action === 'response' && <>
          <Field label="Status"><input className="input" type="number" aria-label="Rule status" value={rule.response?.status ?? ''} onChange={(e) => onChange({ ...rule, response: { ...rule.response, status: num(e.target.value) } })} /></Field>
          <Field label="Delay (ms)"><input className="input" type="number" value={rule.response?.delayMs ?? ''} onChange={(e) => onChange({ ...rule, response: { ...rule.response, delayMs: num(e.target.value) } })} /></Field>
        </>}
        {action === 'status' && <Field label="Status"><input className="input" type="number" aria-label="Failure status" value={rule.fail?.status ?? ''} onChange={(e) => setFail({ status: num(e.target.value) })} /></Field>}
        {action === 'timeout' && <Field label="Hold for (ms)"><input className="input" type="number" value={rule.fail?.timeoutMs ?? ''} onChange={(e) => setFail({ timeoutMs: num(e.target.value) })} /></Field>}
        {action !== 'response' && <>
          <Field label="When">
            <select className="input" aria-label="When it fails" value={when} onChange={(e) => setWhen(e.target.value as When)}>
              <option value="always">every time</option>
              <option value="first">first N attempts</option>
              <option value="rate">at random</option>
            </select>
          </Field>
          {when === 'first' && <Field label="N (per delivery id)"><input className="input" type="number" min={1} aria-label="First attempts" value={rule.fail?.firstAttempts ?? ''} onChange={(e) => setFail({ firstAttempts: num(e.target.value) })} /></Field>}
          {when === 'rate' && <Field label="Share (0–1)"><input className="input" type="number" step={0.05} min={0} max={1} value={rule.fail?.rate ?? ''} onChange={(e) => setFail({ rate: num(e.target.value) })} /></Field>}
        </>}
      </div>
      {action === 'response' && (
        <Field label="Body (empty: the Response tab’s)">
          <textarea className="textarea mono" rows={2} aria-label="Rule body" value={rule.response?.body ?? ''} onChange={(e) => onChange({ ...rule, response: { ...rule.response, body: text(e.target.value) } })} />
        </Field>
      )}
    </fieldset>
  );
}
