import type { AttributeDef, AttributeValue, LabelSchema, LineGeometry } from '../../model/types';
import { schemaRecordId } from '../../model/changes';
import { isMissingValue } from '../../model/labelChecks';
import { updateAnnotations } from '../../store/actions';
import { useSession } from '../../store/sessionStore';
import { CommitInput } from '../CommitInput';
import { useDoc } from '../useDoc';
import { useLocalized, useT } from '../i18n';

export function AttributeField({ def, value, onChange }: { def: AttributeDef; value: AttributeValue | undefined; onChange: (v: AttributeValue | undefined) => void }) {
  const loc = useLocalized();
  const label = `${loc(def.name)}${def.required ? ' *' : ''}`;
  const missing = def.required && isMissingValue(def, value);
  switch (def.type) {
    case 'enum':
      return (
        <label className={missing ? 'missing' : undefined}>
          {label}
          <select value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value || undefined)} aria-invalid={missing}>
            <option value="">—</option>
            {(def.options ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {loc(o.name)}
              </option>
            ))}
          </select>
        </label>
      );
    case 'boolean':
      return (
        <label className="checkbox">
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          {label}
        </label>
      );
    case 'number':
      return (
        <label className={missing ? 'missing' : undefined}>
          {label}
          <CommitInput
            type="number"
            min={def.min}
            max={def.max}
            value={value === undefined ? '' : String(value)}
            aria-invalid={missing}
            onCommit={(v) => onChange(v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v))}
          />
        </label>
      );
    case 'text':
      return (
        <label className={missing ? 'missing' : undefined}>
          {label}
          <CommitInput value={value === undefined ? '' : String(value)} aria-invalid={missing} onCommit={(v) => onChange(v || undefined)} />
        </label>
      );
  }
}

/** The selected shape's class attributes (e.g. Paris classification, NICE type), edited in place. */
export function AttributesPanel({ schema, lineLabel }: { schema: LabelSchema; lineLabel?: (g: LineGeometry) => string }) {
  const doc = useDoc()!;
  const selected = useSession((s) => s.selectedIds);
  const t = useT();
  const loc = useLocalized();
  const annotations = selected.map((id) => doc.annotations.get(id)).filter((a) => !!a);
  if (!annotations.length) return <p className="muted">{t('selectToEdit')}</p>;
  if (annotations.length > 1) return <p>{t('selectedCount', { count: annotations.length })}</p>;
  const a = annotations[0];
  const madeUnder = doc.schemas.get(schemaRecordId(a.schemaId, a.schemaVersion)) ?? schema;
  const cls = schema.classes.find((c) => c.id === a.classId) ?? madeUnder.classes.find((c) => c.id === a.classId);
  const set = (id: string, v: AttributeValue | undefined) => {
    const attributes = { ...a.attributes };
    if (v === undefined) delete attributes[id];
    else attributes[id] = v;
    updateAnnotations([{ id: a.id, patch: { attributes } }], 'Edit attribute');
  };
  return (
    <section aria-label={t('attributes')} className="attributes-panel" data-testid="attributes-panel">
      <h3>
        <span className="swatch" style={{ background: cls?.color ?? '#888' }} aria-hidden="true" /> {cls ? loc(cls.name) : a.classId}
      </h3>
      <p className="muted">
        {doc.annotators.get(a.annotatorId)?.displayName ?? a.annotatorId} · v{a.schemaVersion}
        {a.provenance?.kind === 'assistant' ? ` · ${t('fromAssistant')}` : ''}
      </p>
      {a.geometry?.type === 'line' && lineLabel && (
        <p data-testid="line-length">
          {t('lengthOf', { length: lineLabel(a.geometry) })}
        </p>
      )}
      {(cls?.attributes ?? []).map((def) => (
        <AttributeField key={def.id} def={def} value={a.attributes[def.id]} onChange={(v) => set(def.id, v)} />
      ))}
    </section>
  );
}
