import { useState } from 'react';
import { ProblemList } from '../ProblemList';
import { FileButton } from '../FileButton';
import type { Problem } from '../../formats/shared/paths';
import { makeBackup, readBackup, restoreBackup, type ReadBackupResult } from '../../store/backup';
import { wholeText } from '../../store/importExport';
import { useWorkspace } from '../../store/workspace';
import { downloadText } from '../download';
import { usePrivacyText } from './privacyText';

type Checked = Extract<ReadBackupResult, { ok: true }> & { text: string };

/**
 * Every project of this browser in one file, and back. The restore is checked whole before it is
 * offered, stored in one transaction, and its result hashed: the user sees that the same data came back.
 */
export function BackupPanel() {
  const t = usePrivacyText();
  const projects = useWorkspace((s) => s.projects);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<string | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [restored, setRestored] = useState<{ text: string; verified: boolean } | null>(null);

  const backup = async () => {
    setBusy(true);
    try {
      const b = await makeBackup();
      downloadText(`granula-backup-${new Date().toISOString().slice(0, 10)}.json`, b.text, 'application/json');
      setMade(t('backupMade', { ...b, hash: b.hash.slice(0, 16) }));
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (file: File) => {
    setChecked(null);
    setProblems(null);
    setRestored(null);
    setBusy(true);
    try {
      const whole = await wholeText(file);
      if (!whole.ok) return setProblems(whole.problems);
      const text = whole.text;
      const read = await readBackup(text);
      if (read.ok) setChecked({ ...read, text });
      else setProblems(read.problems);
    } finally {
      setBusy(false);
    }
  };

  const restore = async () => {
    if (!checked) return;
    setBusy(true);
    try {
      const r = await restoreBackup(checked.text);
      setChecked(null);
      if (!r.ok) return setProblems(r.problems);
      setRestored({ text: t('restoreDone', { projects: r.projects, hash: r.hash.slice(0, 16) }), verified: r.verified });
    } finally {
      setBusy(false);
    }
  };

  const existing = new Set(projects.map((p) => p.id));
  return (
    <section className="card" aria-labelledby="backup-h">
      <h3 id="backup-h">{t('backupTitle')}</h3>
      <p className="muted">{t('backupHint')}</p>
      <div className="row">
        <button type="button" onClick={() => void backup()} disabled={busy}>
          {t('backupDownload')}
        </button>
        <FileButton accept=".json,application/json" onFiles={([f]) => void onFile(f)}>
          {busy ? t('working') : t('restore')}
        </FileButton>
      </div>
      {made && (
        <p role="status" data-testid="backup-made">
          {made}
        </p>
      )}
      {checked && (
        <div role="alertdialog" aria-label={t('restore')} className="card">
          <p>
            {t('restoreCheck', {
              projects: checked.items.length,
              images: checked.items.reduce((n, i) => n + i.data.images.length, 0),
              annotations: checked.items.reduce((n, i) => n + i.data.annotations.length, 0),
              replaced: checked.items.filter((i) => existing.has(i.data.project.id)).length,
            })}
          </p>
          <button type="button" onClick={() => void restore()} disabled={busy}>
            {t('restoreConfirm')}
          </button>{' '}
          <button type="button" onClick={() => setChecked(null)}>
            {t('cancel')}
          </button>
        </div>
      )}
      {restored && (
        <p role="status" data-testid="restore-result" data-verified={restored.verified}>
          {restored.text} {restored.verified ? t('restoreVerified') : t('restoreNotVerified')}
        </p>
      )}
      {problems && (
        <ProblemList title={t('restoreFailed')} problems={problems} />
      )}
    </section>
  );
}
