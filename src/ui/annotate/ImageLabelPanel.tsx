import { useEffect, useRef, useState } from 'react';
import type { LabelSchema } from '../../model/types';
import { useDocStore } from '../../store/docStore';
import { chooseImageClass, confirmImage, setImageLabelExtras } from '../../store/imageLabelActions';
import { myImageLabels } from '../../store/selectors';
import { useSession } from '../../store/sessionStore';
import { CommitTextarea } from '../CommitInput';
import { useDoc } from '../useDoc';
import { useLocalized, useT } from '../i18n';
import { isTypingTarget } from './keys';

interface Props {
  schema: LabelSchema;
  imageId: string;
  annotatorId: string;
  onNext: () => void;
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
  const say = useSession((s) => s.say);
  const projectId = doc.project.id;

  useEffect(() => setRow('class'), [imageId]);

  const choose = (classId: string) => {
    chooseImageClass(schema, imageId, annotatorId, classId);
    useSession.getState().setClass(projectId, classId);
    if (schema.grade && schema.selection === 'single') setRow('grade');
  };

  const confirm = () => {
    const current = myImageLabels(useDocStore.getState().doc!, imageId, annotatorId);
    if (!current.length) {
      say(t('chooseLabelFirst'), 'error');
      return;
    }
    if (schema.grade?.required && current[0].grade === undefined) {
      say(t('chooseGradeFirst'), 'error');
      setRow('grade');
      return;
    }
    confirmImage(imageId, annotatorId);
    onNext();
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (row === 'grade' && schema.grade && /^[0-9]$/.test(e.key)) {
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
      {schema.grade && (
        <div role="radiogroup" aria-label={loc(schema.grade.name)} className={`choice-list ${row === 'grade' ? 'active-row' : ''}`}>
          <h3>{loc(schema.grade.name)}</h3>
          {schema.grade.levels.map((l) => (
            <button
              key={l.value}
              type="button"
              role="radio"
              aria-checked={first?.grade === l.value}
              disabled={!first}
              className="choice"
              onClick={() => setImageLabelExtras(imageId, annotatorId, { grade: l.value })}
            >
              <kbd>{l.value}</kbd> {loc(l.name)}
            </button>
          ))}
        </div>
      )}
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
          onCommit={(note) => setImageLabelExtras(imageId, annotatorId, { note })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.target as HTMLTextAreaElement).blur();
          }}
        />
      </label>
      <button type="button" className="primary" onClick={confirm}>
        {t('confirmNext')} <kbd>Enter</kbd>
      </button>
    </section>
  );
}
