// `granula agree FILE... [--iou 0.5] [--json]` — being written.
export async function runAgree(_args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  io.err('granula agree: not available yet');
  return 2;
}
