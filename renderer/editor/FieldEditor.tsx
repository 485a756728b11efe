/**
 * One field of a phase in the side panel: its editor (by FIELD_SPECS widget), and the
 * loader's problems with it right below. Each change is a `set-field` edit; typing into
 * one field is a single undo step (the slice coalesces on the field's key).
 */
import { useState, type ReactNode } from 'react';
import type { FlowProblem } from '../../shared/flow/problems';
import { TOOL_NAMES } from '../../shared/flow/schema';
import { useWaymark } from '../state/store';
import { DependsOnField } from './DependsOnField';
import { asText, envLines, parseEnvLines, specOf } from './fields';
import type { FlowModel, ModelPhase } from './model';
import { shortMessage } from './problem-map';

interface Props {
  phase: ModelPhase;
  field: string;
  model: FlowModel;
  problems: FlowProblem[];
}

export function FieldEditor({ phase, field, model, problems }: Props) {
  const apply = useWaymark((s) => s.editorApply);
  const breakCoalescing = useWaymark((s) => s.editorBreakCoalescing);
  const spec = specOf(field);
  const value = phase.fields[field];
  const set = (next: unknown) => apply({ type: 'set-field', phase: phase.id, key: field, value: next }, `field:${phase.id}:${field}`);
  const inputId = `field-${phase.id}-${field}`;
  const common = { id: inputId, name: field, 'aria-invalid': problems.length > 0, onBlur: breakCoalescing, 'data-testid': `field-${field}` };

  let control: ReactNode;
  switch (spec.widget) {
    case 'text':
      control = (
        <input type="text" {...common} value={asText(value)} placeholder={field === 'model' && model.defaultModel ? `${model.defaultModel} (defaults.model)` : spec.placeholder} onChange={(e) => set(e.target.value)} />
      );
      break;
    case 'textarea':
    case 'code':
      control = <textarea {...common} className={spec.widget === 'code' ? 'mono' : undefined} rows={field === 'prompt' ? 6 : 3} value={asText(value)} onChange={(e) => set(e.target.value)} spellCheck={spec.widget !== 'code'} />;
      break;
    case 'number':
      control = <input type="number" {...common} min={1} value={asText(value)} onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))} />;
      break;
    case 'checkbox':
      control = (
        <span className="check">
          <input type="checkbox" {...common} checked={value === true} onChange={(e) => set(e.target.checked ? true : undefined)} />
          {spec.help}
        </span>
      );
      break;
    case 'tools': {
      const chosen = Array.isArray(value) ? (value as unknown[]).map(String) : [];
      control = (
        <div className="tool-choices" data-testid={common['data-testid']}>
          {TOOL_NAMES.map((tool) => (
            <label key={tool} className="check">
              <input type="checkbox" checked={chosen.includes(tool)} onChange={(e) => set(e.target.checked ? [...chosen, tool] : chosen.filter((t) => t !== tool))} />
              <code>{tool}</code>
            </label>
          ))}
        </div>
      );
      break;
    }
    case 'depends':
      control = <DependsOnField phase={phase} model={model} />;
      break;
    case 'retry':
      control = <RetryEditor value={value} onChange={set} testId={common['data-testid']} onBlur={breakCoalescing} />;
      break;
    case 'env':
      control = <EnvEditor key={envLines(value)} value={value} onCommit={(v) => apply({ type: 'set-field', phase: phase.id, key: field, value: v })} testId={common['data-testid']} />;
      break;
  }

  return (
    <div className={`editor-field${problems.length > 0 ? ' invalid' : ''}`}>
      <label className="editor-field-label" htmlFor={inputId}>
        {spec.label}
        <code className="field-key">{field}</code>
      </label>
      {control}
      {spec.help && spec.widget !== 'checkbox' && <span className="field-help muted">{spec.help}</span>}
      {problems.map((p, i) => (
        <span key={i} className="field-problem" role="alert" data-testid={`field-problem-${field}`}>
          {shortMessage(p)}
        </span>
      ))}
    </div>
  );
}

function RetryEditor({ value, onChange, onBlur, testId }: { value: unknown; onChange: (v: unknown) => void; onBlur: () => void; testId: string }) {
  const retry = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const update = (key: string, raw: string, numeric: boolean) => {
    const next = { ...retry, [key]: raw === '' ? undefined : numeric ? Number(raw) : raw };
    const kept = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
    onChange(Object.keys(kept).length > 0 ? kept : undefined);
  };
  return (
    <div className="retry-fields" data-testid={testId}>
      <label>
        attempts
        <input type="number" min={1} value={asText(retry.attempts)} onChange={(e) => update('attempts', e.target.value, true)} onBlur={onBlur} />
      </label>
      <label>
        delay
        <input type="text" placeholder="1s" value={asText(retry.delay)} onChange={(e) => update('delay', e.target.value, false)} onBlur={onBlur} />
      </label>
    </div>
  );
}

/** `NAME=value` lines, committed when the box loses focus (a half-typed line is not a mapping yet). */
function EnvEditor({ value, onCommit, testId }: { value: unknown; onCommit: (v: unknown) => void; testId: string }) {
  const [draft, setDraft] = useState(() => envLines(value));
  return (
    <textarea
      className="mono"
      rows={3}
      value={draft}
      placeholder="NAME=value"
      data-testid={testId}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => {
        if (draft !== envLines(value)) onCommit(parseEnvLines(draft));
      }}
    />
  );
}
