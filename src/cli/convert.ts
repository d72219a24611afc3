// `granula convert IN --to shared|coco|geojson|csv|yolo -o OUT` — being written.
export async function runConvert(_args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  io.err('granula convert: not available yet');
  return 2;
}
