import { useState } from 'react';
import { isPseudonym, pseudonymise } from '../../model/pseudonym';
import type { ImageRecord } from '../../model/types';
import { updateImage } from '../../store/actions';
import { ensureProjectKey } from './projectKey';
import { usePrivacyText } from './privacyText';
import { routeHref } from '../router';

/**
 * One image's patient link, inside its worklist row. The field takes a clear patient ID and hands
 * it straight to the keyed hash: only the pseudonym is stored and shown, and the typed ID is gone
 * from the field as soon as it is pseudonymised.
 */
export function PatientIdField({ image }: { image: ImageRecord }) {
  const t = usePrivacyText();
  const [open, setOpen] = useState(false);
  const [clearId, setClearId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const key = image.patientKey;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!clearId.trim()) return setProblem(t('emptyId'));
    try {
      const pseudonym = await pseudonymise(await ensureProjectKey(image.projectId), clearId);
      setClearId('');
      setProblem(null);
      setOpen(false);
      if (pseudonym !== key) updateImage(image.id, { patientKey: pseudonym });
    } catch (err) {
      setProblem((err as Error).message);
    }
  };

  return (
    <div className="patient-id muted" data-testid="patient-key">
      <span title={key && !isPseudonym(key) ? t('notPseudonym') : undefined}>
        {t('patient')}: {key ? <a href={routeHref({ page: 'patient', patientKey: key })} title={t('allImagesOfPatient')}><code>{key}</code></a> : t('noPatient')}
        {key && !isPseudonym(key) ? ' ⚠' : ''}
      </span>{' '}
      {!open ? (
        <button type="button" className="link" onClick={() => setOpen(true)} aria-label={t('patientIdFor', { name: image.name })}>
          {t('setPatientId')}
        </button>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="row">
          <label>
            {t('patientIdFor', { name: image.name })}
            <input value={clearId} onChange={(e) => setClearId(e.target.value)} autoComplete="off" spellCheck={false} autoFocus title={t('patientIdHint')} />
          </label>
          <button type="submit">{t('pseudonymise')}</button>
          <button
            type="button"
            onClick={() => {
              setClearId('');
              setProblem(null);
              setOpen(false);
            }}
          >
            {t('cancel')}
          </button>
          {problem && (
            <span role="alert" className="problems">
              {problem}
            </span>
          )}
        </form>
      )}
    </div>
  );
}
