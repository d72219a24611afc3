import { IdentityPicker } from './IdentityPicker';
import { useSettings, type Lang } from './settingsStore';
import { useT } from './i18n';

export function SettingsPage() {
  const t = useT();
  const lang = useSettings((s) => s.lang);
  const setLang = useSettings((s) => s.setLang);
  return (
    <main className="page">
      <h1>{t('settings')}</h1>
      <section className="card">
        <h2>{t('whoAreYou')}</h2>
        <IdentityPicker />
      </section>
      <section className="card">
        <label>
          {t('language')}
          <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="ja">日本語</option>
            <option value="en">English</option>
          </select>
        </label>
      </section>
    </main>
  );
}
