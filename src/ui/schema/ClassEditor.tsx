import { useId } from 'react';
import type { Granularity, LabelClass, ObjectKind } from '../../model/types';
import { CommitInput } from '../CommitInput';
import { useLocalized, useT, useTn } from '../i18n';
import { AttributeEditor } from './AttributeEditor';
import { classIdFor, idMadeFrom, uniqueId } from './schemaText';

interface Props {
  cls: LabelClass;
  index: number;
  count: number;
  granularity: Granularity;
  /** A class in use keeps its id: renaming it would orphan its annotations. */
  inUse: number;
  /** The other classes' ids: a class id made from a new name must not take one of them. */
  otherIds: readonly string[];
  onChange: (c: LabelClass) => void;
  onDelete: () => void;
  onMove: (delta: -1 | 1) => void;
}

export function ClassEditor({ cls, index, count, granularity, inUse, otherIds, onChange, onDelete, onMove }: Props) {
  const t = useT();
  const tn = useTn();
  const loc = useLocalized();
  const idHint = useId();
  const title = loc(cls.name) || cls.id;
  // Until annotations use it, an id made from the English name follows that name; one typed by hand stays.
  const renameEn = (en: string) => {
    const follows = inUse === 0 && en.trim() !== '' && idMadeFrom(cls.id, cls.name.en);
    onChange({ ...cls, name: { ...cls.name, en }, ...(follows ? { id: classIdFor(en, otherIds) } : {}) });
  };
  return (
    <fieldset className="class-editor card" aria-label={title} data-testid="class-editor">
      <legend>
        <span className="swatch" style={{ background: cls.color }} aria-hidden="true" /> {title}
        {inUse > 0 && <span className="muted"> · {tn('annotationCount', inUse)}</span>}
      </legend>
      <div className="row">
        <div className="field-with-hint">
          <label>
            {t('classId')}
            <CommitInput value={cls.id} readOnly={inUse > 0} aria-describedby={idHint} onCommit={(id) => onChange({ ...cls, id: id.trim() })} />
          </label>
          <small id={idHint} className="field-hint">
            {t(inUse > 0 ? 'classIdFixed' : idMadeFrom(cls.id, cls.name.en) ? 'classIdHint' : 'classIdEditable')}
          </small>
        </div>
        <label>
          {t('nameJa')}
          <CommitInput value={cls.name.ja} onCommit={(ja) => onChange({ ...cls, name: { ...cls.name, ja } })} />
        </label>
        <label>
          {t('nameEn')}
          <CommitInput value={cls.name.en} onCommit={renameEn} />
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
              label={`${title}: ${loc(a.name) || a.id}`}
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
