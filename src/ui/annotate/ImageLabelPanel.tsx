import { useEffect, useId, useRef, useState } from 'react';
import { gradeApplies } from '../../model/labelChecks';
import type { Annotation, AttributeValue, LabelSchema } from '../../model/types';
import { updateAnnotations } from '../../store/actions';
import { useDocStore } from '../../store/docStore';
import { chooseImageClass, confirmImage, setImageLabelExtras } from '../../store/imageLabelActions';
import { myImageLabels } from '../../store/selectors';
import { useSession } from '../../store/sessionStore';
import { CommitTextarea } from '../CommitInput';
import { useDoc } from '../useDoc';
import { useLocalized, useT } from '../i18n';
import { isTypingTarget } from './keys';
import { useDoneRefused } from './StatusControls';
import { AttributeField } from './AttributesPanel';

interface Props {
  schema: LabelSchema;
  imageId: string;
  annotatorId: string;
  onNext: () => void;
}

function setLabelAttribute(a: Annotation, id: string, v: AttributeValue | undefined): void {
  const attributes = { ...a.attributes };
  if (v === undefined) delete attributes[id];
  else attributes[id] = v;
  updateAnnotations([{ id: a.id, patch: { attributes } }], 'Edit attribute');
}

/**
 * Diagnosis labels only: number keys choose a class, then (when the schema has a grade) number keys
 * choose the grade; Enter confirms and moves on. No drawing tools here.
 */
export function ImageLabelPanel({ schema, imageId, annotatorId, onNext }: Props) {
  const doc = useDoc()!;
  const t = useT();
  const loc = useLocalized();
  const labels = myImageLabels(doc, imageId, annotatorId);
  const chosen = new Set(labels.map((a) => a.classId));
  const first = labels[0];
  const [row, setRow] = useState<'class' | 'grade'>('class');
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const noteHint = useId();
  const say = useSession((s) => s.say);
  const refused = useDoneRefused();
  const projectId = doc.project.id;
  // The grade is offered only for a chosen class it applies to (or, before any choice, when it applies to every class).
  const grade = schema.grade;
  const gradedLabel = labels.find((a) => gradeApplies(grade, a.classId));
  const graded = first ? !!gradedLabel : !!grade && !grade.classes;

  useEffect(() => setRow('class'), [imageId]);

  const choose = (classId: string) => {
    chooseImageClass(schema, imageId, annotatorId, classId);
    useSession.getState().setClass(projectId, classId);
    if (gradeApplies(schema.grade, classId) && schema.selection === 'single') setRow('grade');
    else setRow('class');
  };

  const confirm = () => {
    const current = myImageLabels(useDocStore.getState().doc!, imageId, annotatorId);
    if (!current.length) {
      say(t('chooseLabelFirst'), 'error');
      return;
    }
    if (schema.grade?.required && current.some((a) => gradeApplies(schema.grade, a.classId) && a.grade === undefined)) {
      say(t('chooseGradeFirst'), 'error');
      setRow('grade');
      return;
    }
    const result = confirmImage(imageId, annotatorId);
    if (!result.ok) {
      refused(result.gaps);
      return;
    }
    onNext();
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (row === 'grade' && schema.grade && graded && /^[0-9]$/.test(e.key)) {
        const level = schema.grade.levels.find((l) => String(l.value) === e.key);
        if (level && setImageLabelExtras(imageId, annotatorId, { grade: level.value })) e.preventDefault();
        return;
      }
      const cls = schema.classes.find((c) => c.hotkey === e.key);
      if (cls) {
        e.preventDefault();
        choose(cls.id);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        confirm();
      } else if (e.key === 'u' || e.key === 'U') {
        e.preventDefault();
        setImageLabelExtras(imageId, annotatorId, { uncertain: !first?.uncertain });
      } else if (e.key === 'n' || e.key === 'N') {
        e.preventDefault();
        noteRef.current?.focus();
      } else if ((e.key === 'Escape' || e.key === 'Backspace') && row === 'grade') {
        e.preventDefault();
        setRow('class');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section className="image-label-panel" aria-label={t('diagnosis')}>
      <h2>{loc(schema.name)}</h2>
      <div role="group" aria-label={t('classes')} className={`choice-list ${row === 'class' ? 'active-row' : ''}`}>
        {schema.classes.map((c) => (
          <button key={c.id} type="button" aria-pressed={chosen.has(c.id)} onClick={() => choose(c.id)} className="choice">
            {c.hotkey && <kbd>{c.hotkey}</kbd>} <span className="swatch" style={{ background: c.color }} aria-hidden="true" /> {loc(c.name)}
          </button>
        ))}
      </div>
      {schema.grade && graded && (
        <div role="radiogroup" aria-label={loc(schema.grade.name)} className={`choice-list ${row === 'grade' ? 'active-row' : ''}`}>
          <h3>{loc(schema.grade.name)}</h3>
          {schema.grade.levels.map((l) => (
            <button
              key={l.value}
              type="button"
              role="radio"
              aria-checked={gradedLabel?.grade === l.value}
              disabled={!first}
              className="choice"
              onClick={() => setImageLabelExtras(imageId, annotatorId, { grade: l.value })}
            >
              <kbd>{l.value}</kbd> {loc(l.name)}
            </button>
          ))}
        </div>
      )}
      {/* A chosen class's own attributes, so a required one can be filled in before Enter. */}
      {labels.map((a) => {
        const cls = schema.classes.find((c) => c.id === a.classId);
        if (!cls?.attributes.length) return null;
        return (
          <fieldset key={a.id} className="plain" aria-label={`${t('attributes')}: ${loc(cls.name)}`}>
            {cls.attributes.map((def) => (
              <AttributeField key={def.id} def={def} value={a.attributes[def.id]} onChange={(v) => setLabelAttribute(a, def.id, v)} />
            ))}
          </fieldset>
        );
      })}
      <label className="checkbox">
        <input type="checkbox" checked={!!first?.uncertain} disabled={!first} onChange={(e) => setImageLabelExtras(imageId, annotatorId, { uncertain: e.target.checked })} />
        {t('uncertain')} <kbd>U</kbd>
      </label>
      <label className="wide">
        {t('note')} <kbd>N</kbd>
        <CommitTextarea
          ref={noteRef}
          rows={2}
          value={first?.note ?? ''}
          disabled={!first}
          aria-describedby={noteHint}
          onCommit={(note) => setImageLabelExtras(imageId, annotatorId, { note })}
          onKeyDown={(e) => {
            // Ctrl+Enter has saved the note (the field does that): hand the keys back, Enter then confirms.
            if (e.key === 'Escape' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) (e.target as HTMLTextAreaElement).blur();
          }}
        />
      </label>
      <small id={noteHint} className="field-hint">
        {t('noteHint')}
      </small>
      <button type="button" className="primary" onClick={confirm}>
        {t('confirmNext')} <kbd>Enter</kbd>
      </button>
    </section>
  );
}
