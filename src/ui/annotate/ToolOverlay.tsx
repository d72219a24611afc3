import { Circle, Line, Rect, Text } from 'react-konva';
import type { Geometry, LineGeometry } from '../../model/types';
import type { EditToolState } from '../../tools';
import type { ViewTransform } from '../../viewer/coords';

function boxCorners(g: Geometry & { type: 'box' }): number[] {
  return [g.x, g.y, g.x + g.w, g.y, g.x + g.w, g.y + g.h, g.x, g.y + g.h];
}

/** Konva keeps only what is being drawn or edited; the rest is one canvas pass. Sizes stay constant on screen. */
export interface OverlaySuggestion {
  id: string;
  geometry: Geometry & { type: 'polygon' };
  color: string;
  current: boolean;
  selected: boolean;
}

export function ToolOverlay({
  t,
  preview,
  edit,
  color,
  suggestions = [],
  wand = null,
  lineLabel,
}: {
  t: ViewTransform;
  preview: Geometry | null;
  edit: EditToolState | null;
  color: string;
  suggestions?: OverlaySuggestion[];
  wand?: Geometry | null;
  /** A length line's length as text, shown beside it while it is drawn or dragged. */
  lineLabel?: (g: LineGeometry) => string;
}) {
  const px = 1 / t.scale;
  const shape = preview ?? null;
  const handles = edit && !edit.drag ? edit.geometry : preview && edit?.drag ? preview : null;
  const handlePoints = handles ? (handles.type === 'polygon' || handles.type === 'line' ? handles.points : handles.type === 'box' ? boxCorners(handles) : [handles.x, handles.y]) : [];
  return (
    <>
      {suggestions.map((s) => (
        <Line
          key={s.id}
          points={s.geometry.points}
          closed
          stroke={s.selected ? '#ffffff' : s.color}
          strokeWidth={s.current ? 3 : 1.5}
          strokeScaleEnabled={false}
          dash={[4 * px, 3 * px]}
          fill={s.current ? `${s.color}33` : undefined}
        />
      ))}
      {wand?.type === 'polygon' && <Line points={wand.points} closed stroke="#ffe600" strokeWidth={2.5} strokeScaleEnabled={false} dash={[5 * px, 3 * px]} fill="#ffe60033" />}
      {shape?.type === 'polygon' && (
        <>
          <Line points={shape.points} closed={!edit} stroke={color} strokeWidth={2} strokeScaleEnabled={false} dash={[6 * px, 4 * px]} fill={`${color}22`} />
          {!edit && shape.points.length >= 2 && (
            <Circle x={shape.points[0]} y={shape.points[1]} radius={5 * px} stroke="#ffffff" strokeWidth={2} strokeScaleEnabled={false} fill={color} />
          )}
        </>
      )}
      {shape?.type === 'box' && <Rect x={shape.x} y={shape.y} width={shape.w} height={shape.h} stroke={color} strokeWidth={2} strokeScaleEnabled={false} dash={[6 * px, 4 * px]} />}
      {shape?.type === 'point' && <Circle x={shape.x} y={shape.y} radius={5 * px} fill={color} />}
      {shape?.type === 'line' && (
        <>
          <Line points={shape.points} stroke={color} strokeWidth={2} strokeScaleEnabled={false} />
          {lineLabel && (shape.points[0] !== shape.points[2] || shape.points[1] !== shape.points[3]) && (
            <Text
              x={shape.points[2] + 6 * px}
              y={shape.points[3] - 18 * px}
              scaleX={px}
              scaleY={px}
              text={lineLabel(shape)}
              fontSize={13}
              fill={color}
              stroke="#000000"
              strokeWidth={0.6}
            />
          )}
        </>
      )}
      {Array.from({ length: handlePoints.length / 2 }, (_, i) => (
        <Rect
          key={i}
          x={handlePoints[2 * i] - 4 * px}
          y={handlePoints[2 * i + 1] - 4 * px}
          width={8 * px}
          height={8 * px}
          fill={edit?.selectedVertex === i ? color : '#ffffff'}
          stroke={color}
          strokeWidth={1.5}
          strokeScaleEnabled={false}
        />
      ))}
    </>
  );
}
