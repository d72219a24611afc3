import type { ShapeGap } from '../../model/labelChecks';
import { setImageStatus } from '../../store/actions';
import { useSession } from '../../store/sessionStore';
import { useDoc } from '../useDoc';
import { imageState } from '../WorklistPanel';
import { useLocalized, useT } from '../i18n';
import { gapMessage, useLabelCheckText } from '../labelCheckText';

export function markNoLesion(imageId: string, annotatorId: string, mine: number, message: string): void {
  if (mine > 0) {
    useSession.getState().say(message, 'error');
    return;
  }
  setImageStatus(imageId, annotatorId, { state: 'done', noFinding: true }, 'Mark no lesion');
}

/** "Done" is refused while a label lacks a required value: `refused` is told which. */
export function toggleDone(imageId: string, annotatorId: string, done: boolean, refused: (gaps: ShapeGap[]) => void): void {
  const result = setImageStatus(imageId, annotatorId, { state: done ? 'in-progress' : 'done' }, done ? 'Reopen image' : 'Mark image done');
  if (!result.ok) refused(result.gaps);
}

/** Says what a refused "Done" lacks ("Paris classification is required (box 2)") and selects that shape to fill it in. */
export function useDoneRefused(): (gaps: ShapeGap[]) => void {
  const t = useLabelCheckText();
  const loc = useLocalized();
  return (gaps) => {
    const s = useSession.getState();
    s.say(gapMessage(t, loc, gaps), 'error');
    const first = gaps[0].annotation;
    if (first.geometry) s.select([first.id]);
  };
}

/** "No lesion" is a finding (looked at, nothing there), not the absence of work. */
export function StatusControls({ imageId, annotatorId, mine }: { imageId: string; annotatorId: string; mine: number }) {
  const doc = useDoc()!;
  const t = useT();
  const st = imageState(doc, imageId, annotatorId);
  const refused = useDoneRefused();
  return (
    <div className="status-controls" role="group" aria-label={t('status')}>
      <p data-testid="annotate-status">
        {t(`status.${st.state}`)}
        {st.noFinding ? ` · ${t('noFinding')}` : ''}
      </p>
      <button type="button" aria-pressed={st.state === 'done'} onClick={() => toggleDone(imageId, annotatorId, st.state === 'done', refused)}>
        {t('markDone')} <kbd>D</kbd>
      </button>
      <button type="button" aria-pressed={st.noFinding} onClick={() => markNoLesion(imageId, annotatorId, mine, t('removeShapesFirst'))}>
        {t('noFinding')} <kbd>X</kbd>
      </button>
    </div>
  );
}
