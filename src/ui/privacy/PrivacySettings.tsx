import { BackupPanel } from './BackupPanel';
import { KeyPanel } from './KeyPanel';
import { OptOutEditor } from './OptOutEditor';
import { PatientListLink } from './PatientListLink';

/** The project settings' privacy part: opt-outs, patient links, the pseudonym key, backups. */
export function PrivacySettings() {
  return (
    <div className="privacy-settings">
      <OptOutEditor />
      <PatientListLink />
      <KeyPanel />
      <BackupPanel />
    </div>
  );
}
