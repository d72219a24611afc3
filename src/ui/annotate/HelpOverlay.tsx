import { useSession } from '../../store/sessionStore';
import { useSettings } from '../settingsStore';
import { SHORTCUTS } from './keys';

export function HelpOverlay({ drawing, series = false }: { drawing: boolean; series?: boolean }) {
  const open = useSession((s) => s.helpOpen);
  const setOpen = useSession((s) => s.setHelpOpen);
  const lang = useSettings((s) => s.lang);
  if (!open) return null;
  const rows = SHORTCUTS.filter((s) => s.scope === 'all' || (s.scope === 'series' ? series : drawing ? s.scope === 'draw' : s.scope === 'image'));
  return (
    <div className="modal-backdrop" onClick={() => setOpen(false)}>
      <div role="dialog" aria-modal="true" aria-label={lang === 'ja' ? 'ショートカット' : 'Keyboard shortcuts'} className="modal help" onClick={(e) => e.stopPropagation()}>
        <h2>{lang === 'ja' ? 'キーボードショートカット' : 'Keyboard shortcuts'}</h2>
        <table>
          <tbody>
            {rows.map((r) => (
              <tr key={r.keys + r.en}>
                <th>
                  <kbd>{r.keys}</kbd>
                </th>
                <td>{lang === 'ja' ? r.ja : r.en}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => setOpen(false)} autoFocus>
          {lang === 'ja' ? '閉じる' : 'Close'}
        </button>
      </div>
    </div>
  );
}
