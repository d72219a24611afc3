import { useState } from 'react';
import { annotatorIdFor, useSettings } from './settingsStore';
import { useT } from './i18n';

export function IdentityPicker({ onDone }: { onDone?: () => void }) {
  const identity = useSettings((s) => s.identity);
  const setIdentity = useSettings((s) => s.setIdentity);
  const [name, setName] = useState(identity?.displayName ?? '');
  // The id follows the name unless the person typed one of their own.
  const customId = identity && identity.id !== annotatorIdFor(identity.displayName) ? identity.id : '';
  const [id, setId] = useState(customId);
  const t = useT();
  const effectiveId = id.trim() || annotatorIdFor(name);
  return (
    <form
      className="identity-picker"
      aria-label={t('whoAreYou')}
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return;
        setIdentity({ id: effectiveId, displayName: name.trim() });
        onDone?.();
      }}
    >
      <label>
        {t('yourName')}
        <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" required />
      </label>
      <label>
        {t('annotatorId')}
        <input value={id} placeholder={annotatorIdFor(name)} onChange={(e) => setId(e.target.value)} />
      </label>
      <button type="submit">{t('signIn')}</button>
    </form>
  );
}
