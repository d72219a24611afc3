import { setImageStatus } from '../../store/actions';
import { useSession } from '../../store/sessionStore';
import { useDoc } from '../useDoc';
import { imageState } from '../WorklistPanel';
import { useT } from '../i18n';

export function markNoLesion(imageId: string, annotatorId: string, mine: number, message: string): void {
  if (mine > 0) {
    useSession.getState().say(message, 'error');
    return;
  }
  setImageStatus(imageId, annotatorId, { state: 'done', noFinding: true }, 'Mark no lesion');
}

export function toggleDone(imageId: string, annotatorId: string, done: boolean): void {
  setImageStatus(imageId, annotatorId, { state: done ? 'in-progress' : 'done' }, done ? 'Reopen image' : 'Mark image done');
}

/** "No lesion" is a finding (looked at, nothing there), not the absence of work. */
export function StatusControls({ imageId, annotatorId, mine }: { imageId: string; annotatorId: string; mine: number }) {
  const doc = useDoc()!;
  const t = useT();
  const st = imageState(doc, imageId, annotatorId);
  return (
    <div className="status-controls" role="group" aria-label={t('status')}>
      <p data-testid="annotate-status">
        {t(`status.${st.state}`)}
        {st.noFinding ? ` · ${t('noFinding')}` : ''}
      </p>
      <button type="button" aria-pressed={st.state === 'done'} onClick={() => toggleDone(imageId, annotatorId, st.state === 'done')}>
        {t('markDone')} <kbd>D</kbd>
      </button>
      <button type="button" aria-pressed={st.noFinding} onClick={() => markNoLesion(imageId, annotatorId, mine, t('removeShapesFirst'))}>
        {t('noFinding')} <kbd>X</kbd>
      </button>
    </div>
  );
}
