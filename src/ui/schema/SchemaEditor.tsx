import { newId } from '../../model/ids';
import { ProblemList } from '../ProblemList';
import { GRANULARITIES, type Granularity, type LabelSchema } from '../../model/types';
import { currentSchemaOf } from '../../store/actions';
import { CommitInput, CommitTextarea } from '../CommitInput';
import { useDoc } from '../useDoc';
import { useT } from '../i18n';
import { ClassEditor } from './ClassEditor';
import { OrphanDialog } from './OrphanDialog';
import { levelsToText, nextColor, nextHotkey, textToLevels, uniqueId } from './schemaText';
import { useSchemaEditing } from './useSchemaEditing';
import { useMyRole } from '../team/TeamPanel';
import { useTeamText } from '../team/teamText';
import { can } from '../../team/roles';

export function SchemaEditor() {
  const doc = useDoc()!;
  const t = useT();
  const schema = currentSchemaOf(doc);
  const editing = useSchemaEditing();
  const canEdit = can(useMyRole(), 'edit-schema');
  const tt = useTeamText();
  const set = (patch: Partial<LabelSchema>) => editing.propose({ ...schema, ...patch });
  const usage = new Map<string, number>();
  for (const a of doc.annotations.values()) if (a.schemaId === schema.id) usage.set(a.classId, (usage.get(a.classId) ?? 0) + 1);
  const versions = [...doc.schemas.values()].filter((s) => s.id === schema.id).length;

  const addClass = () => {
    const ids = schema.classes.map((c) => c.id);
    // A random suffix: two tabs adding a class at the same moment must not make the same id.
    const id = uniqueId(`class-${newId().slice(0, 6)}`, ids);
    set({
      classes: [
        ...schema.classes,
        {
          id,
          name: { en: `Class ${schema.classes.length + 1}`, ja: `クラス${schema.classes.length + 1}` },
          color: nextColor(schema.classes.map((c) => c.color)),
          hotkey: nextHotkey(schema.classes.map((c) => c.hotkey)),
          objectKind: schema.granularity === 'polygon' ? 'region' : undefined,
          attributes: [],
        },
      ],
    });
  };

  return (
    <section aria-label={t('schema')} className="schema-editor">
      {!canEdit && <p role="note">{tt('readOnlySchema')}</p>}
      {/* A disabled fieldset disables every control inside it: an annotator sees the schema, never changes it. */}
      <fieldset disabled={!canEdit} className="plain">
      <p className="muted" data-testid="schema-version">
        {t('version', { version: schema.version })} {versions > 1 ? `(${versions})` : ''} — {t('versionNote')}
      </p>
      {editing.problems.length > 0 && (
        <ProblemList title={t('schemaProblems')} problems={editing.problems} />
      )}
      <div className="card">
        <div className="row">
          <label>
            {t('schemaName')} (EN)
            <CommitInput value={schema.name.en} onCommit={(en) => set({ name: { ...schema.name, en } })} />
          </label>
          <label>
            {t('schemaName')} (日本語)
            <CommitInput value={schema.name.ja} onCommit={(ja) => set({ name: { ...schema.name, ja } })} />
          </label>
          <label>
            {t('granularity')}
            <select value={schema.granularity} onChange={(e) => set({ granularity: e.target.value as Granularity })}>
              {GRANULARITIES.map((g) => (
                <option key={g} value={g}>
                  {t(`granularity.${g}`)}
                </option>
              ))}
            </select>
          </label>
          {schema.granularity === 'image' && (
            <label>
              {t('selection')}
              <select value={schema.selection} onChange={(e) => set({ selection: e.target.value as 'single' | 'multi' })}>
                <option value="single">{t('selection.single')}</option>
                <option value="multi">{t('selection.multi')}</option>
              </select>
            </label>
          )}
        </div>
        <label className="wide">
          {t('purpose')}
          <CommitTextarea rows={2} value={schema.purpose} onCommit={(purpose) => set({ purpose })} />
        </label>
      </div>

      {schema.granularity === 'image' && (
        <div className="card">
          <h3>{t('grade')}</h3>
          {schema.grade ? (
            <>
              <div className="row">
                <label>
                  {t('nameEn')}
                  <CommitInput value={schema.grade.name.en} onCommit={(en) => set({ grade: { ...schema.grade!, name: { ...schema.grade!.name, en } } })} />
                </label>
                <label>
                  {t('nameJa')}
                  <CommitInput value={schema.grade.name.ja} onCommit={(ja) => set({ grade: { ...schema.grade!, name: { ...schema.grade!.name, ja } } })} />
                </label>
                <button type="button" className="danger" onClick={() => set({ grade: undefined })}>
                  {t('removeGrade')}
                </button>
              </div>
              <label className="wide">
                {t('gradeLevels')}
                <CommitTextarea rows={schema.grade.levels.length} value={levelsToText(schema.grade.levels)} onCommit={(text) => set({ grade: { ...schema.grade!, levels: textToLevels(text) } })} />
              </label>
            </>
          ) : (
            <button
              type="button"
              onClick={() =>
                set({
                  grade: {
                    id: 'grade',
                    name: { en: 'Grade', ja: 'グレード' },
                    required: false,
                    levels: [0, 1, 2].map((v) => ({ value: v, name: { en: String(v), ja: String(v) } })),
                  },
                })
              }
            >
              {t('addGrade')}
            </button>
          )}
        </div>
      )}

      <h3>{t('classes')}</h3>
      {schema.classes.map((c, i) => (
        <ClassEditor
          key={`${c.id}-${i}`}
          cls={c}
          index={i}
          count={schema.classes.length}
          granularity={schema.granularity}
          inUse={usage.get(c.id) ?? 0}
          onChange={(next) => set({ classes: schema.classes.map((x, j) => (j === i ? next : x)) })}
          onDelete={() => set({ classes: schema.classes.filter((_, j) => j !== i) })}
          onMove={(d) => {
            const classes = [...schema.classes];
            const [moved] = classes.splice(i, 1);
            classes.splice(i + d, 0, moved);
            set({ classes });
          }}
        />
      ))}
      <button type="button" onClick={addClass}>
        {t('addClass')}
      </button>
      {editing.pending && <OrphanDialog pending={editing.pending} onConfirm={editing.confirm} onCancel={editing.cancel} />}
      </fieldset>
    </section>
  );
}
