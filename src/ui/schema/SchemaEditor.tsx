import { ProblemList } from '../ProblemList';
import { gradeApplies } from '../../model/labelChecks';
import { GRANULARITIES, type GradeDef, type Granularity, type LabelSchema } from '../../model/types';
import { currentSchemaOf } from '../../store/actions';
import { CommitInput, CommitTextarea } from '../CommitInput';
import { useDoc } from '../useDoc';
import { useLocalized, useT, useTn } from '../i18n';
import { useLabelCheckText } from '../labelCheckText';
import { ClassEditor } from './ClassEditor';
import { OrphanDialog } from './OrphanDialog';
import { classIdFor, levelsToText, nextColor, nextHotkey, textToLevels } from './schemaText';
import { useSchemaEditing } from './useSchemaEditing';
import { useMyRole } from '../team/TeamPanel';
import { useTeamText } from '../team/teamText';
import { can } from '../../team/roles';
import { forEachFields } from '../../store/packedAnnotations';

/** Ticks or unticks a class that takes the grade; every class ticked is the same as no list (the grade applies to all). */
function withGradedClass(schema: LabelSchema, classId: string, on: boolean): GradeDef {
  const grade = schema.grade!;
  const all = schema.classes.map((c) => c.id);
  const now = grade.classes ?? all;
  const next = on ? all.filter((id) => id === classId || now.includes(id)) : now.filter((id) => id !== classId);
  if (!next.length) return grade; // the last class keeps its tick: a grade no class takes would never be offered
  const { classes: _, ...rest } = grade;
  return next.length === all.length ? rest : { ...rest, classes: next };
}

/** A class renamed (or removed, `to` null) is renamed in (or dropped from) the grade's list of classes too. */
function renamedInGrade(grade: GradeDef | undefined, from: string, to: string | null): Partial<LabelSchema> {
  if (!grade?.classes || from === to || !grade.classes.includes(from)) return {};
  return { grade: { ...grade, classes: to === null ? grade.classes.filter((id) => id !== from) : grade.classes.map((id) => (id === from ? to : id)) } };
}

export function SchemaEditor() {
  const doc = useDoc()!;
  const t = useT();
  const tn = useTn();
  const lt = useLabelCheckText();
  const loc = useLocalized();
  const schema = currentSchemaOf(doc);
  const editing = useSchemaEditing();
  const canEdit = can(useMyRole(), 'edit-schema');
  const tt = useTeamText();
  const set = (patch: Partial<LabelSchema>) => editing.propose({ ...schema, ...patch });
  const usage = new Map<string, number>();
  forEachFields(doc.annotations, ['schemaId', 'classId'], (a) => {
    if (a.schemaId === schema.id) usage.set(a.classId, (usage.get(a.classId) ?? 0) + 1);
  });
  const versions = [...doc.schemas.values()].filter((s) => s.id === schema.id).length;

  const addClass = () => {
    const ids = schema.classes.map((c) => c.id);
    const name = { en: `Class ${schema.classes.length + 1}`, ja: `クラス${schema.classes.length + 1}` };
    // Made from the English name ("class-4", then "serrated-lesion" once it is named); a random suffix only on a clash.
    const id = classIdFor(name.en, ids);
    set({
      classes: [
        ...schema.classes,
        {
          id,
          name,
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
        {versions > 1 ? t('versionWithCount', { version: schema.version, versions: tn('schemaVersions', versions) }) : t('version', { version: schema.version })} — {t('versionNote')}
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
          <label className="checkbox" title={t('classesOrderedHint')}>
            <input type="checkbox" checked={schema.ordered === true} aria-describedby="classes-ordered-hint" onChange={(e) => set({ ordered: e.target.checked || undefined })} />
            {t('classesOrdered')}
          </label>
          <p id="classes-ordered-hint" className="muted">
            {t('classesOrderedHint')}
          </p>
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
              {schema.classes.length > 0 && (
                <fieldset className="plain" data-testid="grade-classes">
                  <legend>{lt('gradeClasses')}</legend>
                  {schema.classes.map((c) => (
                    <label key={c.id} className="checkbox">
                      <input type="checkbox" checked={gradeApplies(schema.grade, c.id)} onChange={(e) => set({ grade: withGradedClass(schema, c.id, e.target.checked) })} />
                      {loc(c.name)}
                    </label>
                  ))}
                </fieldset>
              )}
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
          // By place, not id: an id that follows the class's name must not remount the field being typed in.
          key={i}
          cls={c}
          index={i}
          count={schema.classes.length}
          granularity={schema.granularity}
          inUse={usage.get(c.id) ?? 0}
          otherIds={schema.classes.filter((_, j) => j !== i).map((x) => x.id)}
          onChange={(next) => set({ classes: schema.classes.map((x, j) => (j === i ? next : x)), ...renamedInGrade(schema.grade, c.id, next.id) })}
          onDelete={() => set({ classes: schema.classes.filter((_, j) => j !== i), ...renamedInGrade(schema.grade, c.id, null) })}
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
