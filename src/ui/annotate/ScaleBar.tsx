import type { ViewTransform } from '../../viewer/coords';

const NICE = [1, 2, 5];

/** A bar of a round length in µm or mm, about 120 screen pixels long. */
export function scaleBarLength(mpp: number, screenPxPerImagePx: number, targetPx = 120): { microns: number; px: number } {
  const micronsPerScreenPx = mpp / screenPxPerImagePx;
  const raw = micronsPerScreenPx * targetPx;
  const pow = 10 ** Math.floor(Math.log10(raw));
  let best = pow;
  for (const n of NICE) if (n * pow <= raw) best = n * pow;
  return { microns: best, px: best / micronsPerScreenPx };
}

export function ScaleBar({ mpp, transform }: { mpp?: number; transform: ViewTransform | null }) {
  if (!mpp || !transform) return null;
  const { microns, px } = scaleBarLength(mpp, transform.scale);
  const label = microns >= 1000 ? `${microns / 1000} mm` : `${microns} µm`;
  return (
    <div className="scale-bar" aria-label={`Scale ${label}`} data-testid="scale-bar">
      <div className="scale-bar-line" style={{ width: px }} />
      <span>{label}</span>
    </div>
  );
}
