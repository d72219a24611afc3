import { STAIN_SETTINGS, type StainSetting } from '../model/types';
import { updateProject } from '../store/actions';
import { CommitInput, CommitTextarea } from './CommitInput';
import { useDoc } from './useDoc';
import { useT } from './i18n';
import { PrivacySettings } from './privacy/PrivacySettings';

export function ProjectSettingsPanel() {
  const doc = useDoc()!;
  const t = useT();
  const p = doc.project;
  return (
    <section aria-label={t('projectSettings')} className="card">
      <label className="wide">
        {t('projectName')}
        <CommitInput value={p.name} onCommit={(name) => name.trim() && updateProject({ name: name.trim() }, 'Rename project')} />
      </label>
      <label className="wide">
        {t('description')}
        <CommitTextarea rows={3} value={p.description} onCommit={(description) => updateProject({ description })} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={p.reviewMode} onChange={(e) => updateProject({ reviewMode: e.target.checked }, 'Toggle review mode')} />
        {t('reviewMode')}
      </label>
      <label>
        {t('projectStain')}{' '}
        <select value={p.stain ?? 'auto'} onChange={(e) => updateProject({ stain: e.target.value as StainSetting }, 'Set the stains')}>
          {STAIN_SETTINGS.map((s) => (
            <option key={s} value={s}>
              {t(`stain_${s}`)}
            </option>
          ))}
        </select>
      </label>
      <PrivacySettings />
    </section>
  );
}
