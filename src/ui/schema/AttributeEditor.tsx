import type { AttributeDef, AttributeType } from '../../model/types';
import { CommitInput, CommitTextarea } from '../CommitInput';
import { useT } from '../i18n';
import { optionsToText, textToOptions } from './schemaText';

const TYPES: AttributeType[] = ['enum', 'boolean', 'number', 'text'];

export function AttributeEditor({ attr, onChange, onDelete, label }: { attr: AttributeDef; onChange: (a: AttributeDef) => void; onDelete: () => void; label: string }) {
  const t = useT();
  return (
    <fieldset className="attribute" aria-label={label}>
      <div className="row">
        <label>
          {t('attributeId')}
          <CommitInput value={attr.id} onCommit={(id) => onChange({ ...attr, id: id.trim() })} />
        </label>
        <label>
          {t('nameEn')}
          <CommitInput value={attr.name.en} onCommit={(en) => onChange({ ...attr, name: { ...attr.name, en } })} />
        </label>
        <label>
          {t('nameJa')}
          <CommitInput value={attr.name.ja} onCommit={(ja) => onChange({ ...attr, name: { ...attr.name, ja } })} />
        </label>
        <label>
          {t('type')}
          <select
            value={attr.type}
            onChange={(e) => {
              const type = e.target.value as AttributeType;
              onChange({ ...attr, type, options: type === 'enum' ? attr.options ?? [{ id: 'a', name: { en: 'A', ja: 'A' } }] : undefined });
            }}
          >
            {TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`type.${ty}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={attr.required} onChange={(e) => onChange({ ...attr, required: e.target.checked })} />
          {t('required')}
        </label>
        <button type="button" className="link danger" onClick={onDelete} aria-label={`${t('deleteAttribute')}: ${attr.id}`}>
          {t('deleteAttribute')}
        </button>
      </div>
      {attr.type === 'enum' && (
        <label>
          {t('options')}
          <CommitTextarea rows={Math.max(2, attr.options?.length ?? 2)} value={optionsToText(attr.options ?? [])} onCommit={(text) => onChange({ ...attr, options: textToOptions(text) })} />
        </label>
      )}
    </fieldset>
  );
}
