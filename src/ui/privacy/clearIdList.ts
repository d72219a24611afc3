/** Patient IDs pasted as a list: one per line, or cells of a spreadsheet column or row. */
export function splitClearIds(text: string): string[] {
  return text
    .split(/[\r\n\t,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "image name<TAB or comma>patient ID" lines; the ID is whatever follows the first separator. */
export function splitImagePatientLines(text: string): { image: string; clearId: string; line: number }[] {
  const out: { image: string; clearId: string; line: number }[] = [];
  text.split(/\r\n?|\n/).forEach((raw, i) => {
    const m = /^\s*([^\t,]+?)\s*[\t,]\s*(.+?)\s*$/.exec(raw);
    if (m) out.push({ image: m[1], clearId: m[2], line: i + 1 });
  });
  return out;
}
