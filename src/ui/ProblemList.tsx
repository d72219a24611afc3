import { problemLine, type Problem } from '../formats/shared/paths';

/** Refused input, each problem as `path: message`, announced to screen readers. */
export function ProblemList({ title, problems }: { title: string; problems: readonly Problem[] }) {
  return (
    <div role="alert" className="problems">
      <p>{title}</p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <code>{problemLine(p)}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
