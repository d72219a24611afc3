import type { Granularity } from '../../model/types';
import { useSession, type ToolId } from '../../store/sessionStore';
import { useT } from '../i18n';

export const TOOL_KEYS: Record<ToolId, string> = { select: 'V', pan: 'H', polygon: 'P', freehand: 'F', box: 'B', point: 'O', line: 'L', wand: 'W', propose: 'G' };

export function toolsFor(g: Granularity): ToolId[] {
  switch (g) {
    case 'polygon':
      return ['select', 'pan', 'polygon', 'freehand', 'box', 'point', 'line', 'wand', 'propose'];
    // Every shape schema measures lengths too (a lesion's diameter beside its box).
    case 'box':
      return ['select', 'pan', 'box', 'line'];
    case 'point':
      return ['select', 'pan', 'point', 'line'];
    case 'image':
      return [];
  }
}

export function ToolBar({ granularity }: { granularity: Granularity }) {
  const tool = useSession((s) => s.tool);
  const continuous = useSession((s) => s.continuous);
  const t = useT();
  return (
    <div role="toolbar" aria-label={t('tools')} className="toolbar-tools">
      {toolsFor(granularity).map((id) => (
        <button key={id} type="button" aria-pressed={tool === id} onClick={() => useSession.getState().setTool(id)} title={`${t(`tool.${id}`)} (${TOOL_KEYS[id]})`}>
          {t(`tool.${id}`)} <kbd>{TOOL_KEYS[id]}</kbd>
        </button>
      ))}
      <label className="checkbox">
        <input type="checkbox" checked={continuous} onChange={(e) => useSession.getState().setContinuous(e.target.checked)} />
        {t('continuous')} <kbd>C</kbd>
      </label>
    </div>
  );
}
