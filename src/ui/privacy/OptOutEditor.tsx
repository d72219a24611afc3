import { useState } from 'react';
import { pseudonymiseAll } from '../../model/pseudonym';
import { updateProject } from '../../store/actions';
import { useDoc } from '../useDoc';
import { splitClearIds } from './clearIdList';
import { ensureProjectKey } from './projectKey';
import { useCountWords } from '../i18n';
import { usePrivacyText } from './privacyText';

/**
 * The patients who declined secondary use. IDs typed or pasted are pseudonymised with the project's
 * key and only the pseudonyms are kept (in the project record, never exported); every export then
 * leaves out their images.
 */
export function OptOutEditor() {
  const doc = useDoc()!;
  const t = usePrivacyText();
  const count = useCountWords();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const optOut = doc.project.optOut;
  const listed = new Set(optOut);
  const excludedImages = [...doc.images.values()].filter((im) => im.patientKey !== undefined && listed.has(im.patientKey)).length;

  const add = async () => {
    const ids = splitClearIds(text);
    if (!ids.length) return setResult(t('emptyId'));
    setBusy(true);
    try {
      const pseudonyms = await pseudonymiseAll(await ensureProjectKey(doc.project.id), ids);
      const fresh = pseudonyms.filter((p) => !listed.has(p));
      setText('');
      if (fresh.length) updateProject({ optOut: [...optOut, ...fresh] }, 'Add to opt-out list');
      setResult(t('optOutAdded', { added: fresh.length, already: pseudonyms.length - fresh.length }));
    } catch (e) {
      setResult((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="opt-out-h">
      <h3 id="opt-out-h">{t('optOutTitle')}</h3>
      <p data-testid="opt-out-count">{t('optOutCount', { patients: count(optOut.length, 'patient', 'patients'), images: count(excludedImages, 'image', 'images') })}</p>
      <label className="wide">
        {t('optOutInput')}
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" spellCheck={false} />
      </label>
      <button type="button" onClick={() => void add()} disabled={busy || !text.trim()}>
        {busy ? t('working') : t('optOutAdd')}
      </button>
      {result && <p role="status">{result}</p>}
      {optOut.length > 0 && (
        <ul className="opt-out-list">
          {optOut.map((key) => (
            <li key={key}>
              <code>{key}</code>{' '}
              <button
                type="button"
                className="link danger"
                aria-label={t('optOutRemove', { key })}
                onClick={() => updateProject({ optOut: optOut.filter((k) => k !== key) }, 'Remove from opt-out list')}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
