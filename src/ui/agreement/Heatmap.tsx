/** A pairwise matrix as a table: each cell coloured by its value (−1 red … 0 white … 1 green). */
export function heatColor(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '#eeeeee';
  const x = Math.max(-1, Math.min(1, v));
  if (x >= 0) return `hsl(130, ${Math.round(20 + 45 * x)}%, ${Math.round(95 - 45 * x)}%)`;
  return `hsl(0, ${Math.round(20 + 50 * -x)}%, ${Math.round(95 - 40 * -x)}%)`;
}

export function fmt(v: number | null | undefined, na: string): string {
  return v === null || v === undefined || !Number.isFinite(v) ? na : v.toFixed(3);
}

export function Heatmap({
  raters,
  names,
  value,
  detail,
  format = fmt,
  caption,
  na,
  testId,
}: {
  raters: string[];
  names: Map<string, string>;
  value: (a: string, b: string) => number | null;
  /** More about a cell (its interval, its number of images), shown on hover. */
  detail?: (a: string, b: string) => string | undefined;
  /** How a value is written (by default three decimals). */
  format?: (v: number | null, na: string) => string;
  caption: string;
  na: string;
  testId: string;
}) {
  return (
    <table className="heatmap" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th />
          {raters.map((r) => (
            <th key={r} scope="col">
              {names.get(r) ?? r}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {raters.map((a) => (
          <tr key={a}>
            <th scope="row">{names.get(a) ?? a}</th>
            {raters.map((b) => {
              const v = a === b ? null : value(a, b);
              return (
                <td key={b} style={{ background: a === b ? '#f4f4f4' : heatColor(v) }} aria-label={`${names.get(a) ?? a} × ${names.get(b) ?? b}: ${format(v, na)}`} title={a === b ? undefined : detail?.(a, b)}>
                  {a === b ? '—' : format(v, na)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
