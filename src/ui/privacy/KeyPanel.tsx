import { useEffect, useState } from 'react';
import { FileButton } from '../FileButton';
import { isPseudonym, keyFileText, keyFingerprint, readKeyFile } from '../../model/pseudonym';
import { nowIso } from '../../model/ids';
import { useDocStore } from '../../store/docStore';
import { downloadText, safeFileName } from '../download';
import { useDoc } from '../useDoc';
import { projectKey, replaceProjectKey } from './projectKey';
import { usePrivacyText } from './privacyText';

type Pending = { key: Uint8Array; fingerprint: string; warnings: string[] };

/**
 * The project's pseudonym key: shown only as a fingerprint, downloaded only after a warning, and
 * imported (to pseudonymise in another browser the same way) only after saying what it changes.
 */
export function KeyPanel() {
  const doc = useDoc()!;
  const rev = useDocStore((s) => s.rev);
  const t = usePrivacyText();
  const projectId = doc.project.id;
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const [confirmDownload, setConfirmDownload] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const hasPseudonyms = [...doc.images.values()].some((im) => im.patientKey && isPseudonym(im.patientKey)) || doc.project.optOut.length > 0;

  useEffect(() => {
    let live = true;
    void projectKey(projectId).then(async (key) => live && setFingerprint(key ? await keyFingerprint(key) : null));
    return () => {
      live = false;
    };
    // The key is made on first use elsewhere (patient ID field): look again when the project changes.
  }, [projectId, revision, rev]);

  const download = async () => {
    const key = await projectKey(projectId);
    if (!key) return;
    downloadText(`${safeFileName(doc.project.name)}.pseudonym-key.json`, await keyFileText(key, doc.project, nowIso()), 'application/json');
    setConfirmDownload(false);
  };

  const onFile = async (file: File) => {
    setMessage(null);
    const read = await readKeyFile(await file.text());
    if (!read.ok) return setMessage(t('keyFileProblem', { message: read.message }));
    const warnings: string[] = [];
    if (read.projectId && read.projectId !== projectId) warnings.push(t('keyImportOtherProject', { project: read.projectId }));
    if (hasPseudonyms && fingerprint && fingerprint !== read.fingerprint) warnings.push(t('keyImportWarning', { current: fingerprint, incoming: read.fingerprint }));
    setPending({ key: read.key, fingerprint: read.fingerprint, warnings });
  };

  const applyImportedKey = async () => {
    if (!pending) return;
    await replaceProjectKey(projectId, pending.key);
    setMessage(t('keyImported', { fingerprint: pending.fingerprint }));
    setPending(null);
    setRevision((r) => r + 1);
  };

  return (
    <section className="card" aria-labelledby="key-h">
      <h3 id="key-h">{t('keyTitle')}</h3>
      <p data-testid="key-fingerprint">{fingerprint ? t('keyFingerprint', { fingerprint }) : t('keyNone')}</p>
      {!fingerprint && hasPseudonyms && (
        <p role="alert" className="problems">
          {t('keyMissingWarning')}
        </p>
      )}
      <div className="row">
        {fingerprint && (
          <button type="button" onClick={() => setConfirmDownload(true)}>
            {t('keyDownload')}
          </button>
        )}
        <FileButton accept=".json,application/json" onFiles={([f]) => void onFile(f)}>
          {t('keyImport')}
        </FileButton>
      </div>
      {confirmDownload && (
        <div role="alertdialog" aria-label={t('keyDownload')} className="card banner-error">
          <p>{t('keyDownloadWarning')}</p>
          <button type="button" onClick={() => void download()}>
            {t('keyDownloadConfirm')}
          </button>{' '}
          <button type="button" onClick={() => setConfirmDownload(false)}>
            {t('cancel')}
          </button>
        </div>
      )}
      {pending && (
        <div role="alertdialog" aria-label={t('keyImport')} className="card banner-error">
          {pending.warnings.map((w, i) => (
            <p key={i}>{w}</p>
          ))}
          <p>{t('keyFingerprint', { fingerprint: pending.fingerprint })}</p>
          <button type="button" onClick={() => void applyImportedKey()}>
            {t('keyImportConfirm')}
          </button>{' '}
          <button type="button" onClick={() => setPending(null)}>
            {t('cancel')}
          </button>
        </div>
      )}
      {message && <p role="status">{message}</p>}
    </section>
  );
}
