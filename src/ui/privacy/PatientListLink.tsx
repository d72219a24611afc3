import { useState } from 'react';
import { updated, type RecordChange } from '../../model/changes';
import { pseudonymise } from '../../model/pseudonym';
import { useDocStore } from '../../store/docStore';
import { useDoc } from '../useDoc';
import { splitImagePatientLines } from './clearIdList';
import { ensureProjectKey } from './projectKey';
import { usePrivacyText } from './privacyText';

/**
 * Patient IDs for many images at once, pasted from the hospital's list (image name, patient ID).
 * All images are linked in one undoable step; the clear IDs leave with the cleared field.
 */
export function PatientListLink() {
  const doc = useDoc()!;
  const t = usePrivacyText();
  const [text, setText] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const apply = async () => {
    setBusy(true);
    try {
      const key = await ensureProjectKey(doc.project.id);
      const byName = new Map([...doc.images.values()].map((im) => [im.name, im]));
      const changes: RecordChange[] = [];
      const missing: string[] = [];
      for (const { image, clearId } of splitImagePatientLines(text)) {
        const before = byName.get(image);
        if (!before) {
          missing.push(image);
          continue;
        }
        const patientKey = await pseudonymise(key, clearId);
        if (before.patientKey !== patientKey) changes.push(updated('image', before, { ...before, patientKey }));
      }
      setText('');
      if (changes.length) useDocStore.getState().commit(changes, { record: true, label: 'Link images to patients' });
      setResult(t('linkDone', { linked: changes.length, missing: missing.length ? missing.join(', ') : '—' }));
    } catch (e) {
      setResult((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="patient-link-h">
      <h3 id="patient-link-h">{t('linkTitle')}</h3>
      <label className="wide">
        {t('linkInput')}
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" spellCheck={false} />
      </label>
      <button type="button" onClick={() => void apply()} disabled={busy || !text.trim()}>
        {busy ? t('working') : t('linkApply')}
      </button>
      {result && <p role="status">{result}</p>}
    </section>
  );
}
