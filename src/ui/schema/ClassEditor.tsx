import type { Granularity, LabelClass, ObjectKind } from '../../model/types';
import { CommitInput } from '../CommitInput';
import { useT } from '../i18n';
import { AttributeEditor } from './AttributeEditor';
import { uniqueId } from './schemaText';

interface Props {
  cls: LabelClass;
  index: number;
  count: number;
  granularity: Granularity;
  /** A class in use keeps its id: renaming it would orphan its annotations. */
  inUse: number;
  onChange: (c: LabelClass) => void;
  onDelete: () => void;
  onMove: (delta: -1 | 1) => void;
}

export function ClassEditor({ cls, index, count, granularity, inUse, onChange, onDelete, onMove }: Props) {
  const t = useT();
  const title = cls.name.en || cls.name.ja || cls.id;
  return (
    <fieldset className="class-editor card" aria-label={title} data-testid="class-editor">
      <legend>
        <span className="swatch" style={{ background: cls.color }} aria-hidden="true" /> {title}
        {inUse > 0 && <span className="muted"> · {inUse} {t('annotations')}</span>}
      </legend>
      <div className="row">
        <label>
          {t('classId')}
          <CommitInput value={cls.id} readOnly={inUse > 0} onCommit={(id) => onChange({ ...cls, id: id.trim() })} />
        </label>
        <label>
          {t('nameJa')}
          <CommitInput value={cls.name.ja} onCommit={(ja) => onChange({ ...cls, name: { ...cls.name, ja } })} />
        </label>
        <label>
          {t('nameEn')}
          <CommitInput value={cls.name.en} onCommit={(en) => onChange({ ...cls, name: { ...cls.name, en } })} />
        </label>
        <label>
          {t('color')}
          <input type="color" value={cls.color} onChange={(e) => onChange({ ...cls, color: e.target.value })} />
        </label>
        <label>
          {t('hotkey')}
          <CommitInput value={cls.hotkey ?? ''} maxLength={1} size={2} onCommit={(k) => onChange({ ...cls, hotkey: k.trim() || undefined })} />
        </label>
      </div>
      <div className="row">
        <label>
          {t('codeSystem')}
          <CommitInput
            value={cls.code?.system ?? ''}
            placeholder="ICD-10 / SNOMED CT"
            onCommit={(system) => onChange({ ...cls, code: system.trim() || cls.code?.value ? { system: system.trim(), value: cls.code?.value ?? '' } : undefined })}
          />
        </label>
        <label>
          {t('codeValue')}
          <CommitInput
            value={cls.code?.value ?? ''}
            onCommit={(value) => onChange({ ...cls, code: value.trim() || cls.code?.system ? { system: cls.code?.system ?? '', value: value.trim() } : undefined })}
          />
        </label>
        {(granularity === 'polygon' || granularity === 'point') && (
          <label>
            {t('objectKind')}
            <select value={cls.objectKind ?? 'region'} onChange={(e) => onChange({ ...cls, objectKind: e.target.value as ObjectKind })}>
              <option value="cell">{t('objectKind.cell')}</option>
              <option value="region">{t('objectKind.region')}</option>
            </select>
          </label>
        )}
        <button type="button" onClick={() => onMove(-1)} disabled={index === 0} aria-label={`${t('moveUp')}: ${title}`}>
          ↑
        </button>
        <button type="button" onClick={() => onMove(1)} disabled={index === count - 1} aria-label={`${t('moveDown')}: ${title}`}>
          ↓
        </button>
        <button type="button" className="danger" onClick={onDelete} aria-label={`${t('deleteClass')}: ${title}`}>
          {t('deleteClass')}
        </button>
      </div>
      {granularity !== 'image' && (
        <div className="attributes">
          <h4>{t('attributes')}</h4>
          {cls.attributes.map((a, i) => (
            <AttributeEditor
              key={i}
              attr={a}
              label={`${title}: ${a.name.en || a.id}`}
              onChange={(next) => onChange({ ...cls, attributes: cls.attributes.map((x, j) => (j === i ? next : x)) })}
              onDelete={() => onChange({ ...cls, attributes: cls.attributes.filter((_, j) => j !== i) })}
            />
          ))}
          <button
            type="button"
            onClick={() =>
              onChange({
                ...cls,
                attributes: [...cls.attributes, { id: uniqueId('attribute', cls.attributes.map((a) => a.id)), name: { en: 'Attribute', ja: '属性' }, type: 'text', required: false }],
              })
            }
          >
            {t('addAttribute')}: {title}
          </button>
        </div>
      )}
    </fieldset>
  );
}
