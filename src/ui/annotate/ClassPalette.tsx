import type { LabelSchema } from '../../model/types';
import { useSession } from '../../store/sessionStore';
import { updateAnnotations } from '../../store/actions';
import { useLocalized, useT } from '../i18n';

/** Choosing a class also re-classes the selected shapes: one step to fix a wrong class. */
export function ClassPalette({ schema, projectId }: { schema: LabelSchema; projectId: string }) {
  const classId = useSession((s) => s.classId);
  const selected = useSession((s) => s.selectedIds);
  const t = useT();
  const loc = useLocalized();
  return (
    <div role="radiogroup" aria-label={t('classes')} className="class-palette">
      {schema.classes.map((c) => (
        <button
          key={c.id}
          type="button"
          role="radio"
          aria-checked={classId === c.id}
          className="choice"
          onClick={() => {
            useSession.getState().setClass(projectId, c.id);
            if (selected.length) updateAnnotations(selected.map((id) => ({ id, patch: { classId: c.id } })), 'Change class');
          }}
        >
          {c.hotkey && <kbd>{c.hotkey}</kbd>} <span className="swatch" style={{ background: c.color }} aria-hidden="true" /> {loc(c.name)}
        </button>
      ))}
    </div>
  );
}
