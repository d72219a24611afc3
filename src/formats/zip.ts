/**
 * A store-only ZIP writer (no compression): enough to hand a folder of files over as one download.
 * Label text and JPEG/PNG images gain little from deflate, and stored entries stay readable by every
 * unzip tool. Entries are UTF-8 named (flag bit 11); more than 65,535 entries get a ZIP64 end record.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as ZIP (and PNG) use it: polynomial 0xEDB88320, reflected, inverted. */
export function crc32(bytes: Uint8Array): number {
  return crc32Of([bytes]);
}

/** The CRC-32 of chunks joined, without joining them. */
function crc32Of(chunks: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const bytes of chunks) for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, relative (no leading `/`, no `..`). */
  name: string;
  /** The content: text (written as UTF-8), bytes, or bytes in chunks (as a streamed writer gives them). */
  data: Uint8Array | string | readonly Uint8Array[];
}

const LIMIT_32 = 0xffffffff;

/** MS-DOS time and date fields, in local time as unzip tools show them. */
function dosDateTime(d: Date): [number, number] {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return [(d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1), ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate()];
}

/**
 * The archive as chunks, in order (hand them to `new Blob(chunks)` or write them one after another).
 * Throws on an unsafe entry name or past 4 GiB, which needs ZIP64 sizes this writer does not write.
 */
export function zipStore(entries: readonly ZipEntry[], opts: { modified?: Date } = {}): Uint8Array[] {
  const [time, date] = dosDateTime(opts.modified ?? new Date());
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const entry of entries) {
    const parts = entry.name.split('/');
    if (!entry.name || entry.name.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..') || entry.name.includes('\\')) throw new Error(`unsafe name in archive: "${entry.name}"`);
    if (seen.has(entry.name)) throw new Error(`"${entry.name}" is in the archive twice`);
    seen.add(entry.name);
    const name = encoder.encode(entry.name);
    const content = typeof entry.data === 'string' ? [encoder.encode(entry.data)] : Array.isArray(entry.data) ? (entry.data as readonly Uint8Array[]) : [entry.data as Uint8Array];
    let size = 0;
    for (const p of content) size += p.length;
    if (offset + 30 + name.length + size > LIMIT_32) throw new Error('the archive would pass 4 GiB: export fewer images at a time');
    const crc = crc32Of(content);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true); // local file header
    local.setUint16(4, 20, true); // version needed: 2.0
    local.setUint16(6, 0x0800, true); // names are UTF-8
    local.setUint16(8, 0, true); // stored
    local.setUint16(10, time, true);
    local.setUint16(12, date, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, size, true);
    local.setUint32(22, size, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);
    const head = new DataView(new ArrayBuffer(46));
    head.setUint32(0, 0x02014b50, true); // central directory header
    head.setUint16(4, (3 << 8) | 20, true); // made by: Unix, 2.0 (so the mode below applies)
    head.setUint16(6, 20, true);
    head.setUint16(8, 0x0800, true);
    head.setUint16(10, 0, true);
    head.setUint16(12, time, true);
    head.setUint16(14, date, true);
    head.setUint32(16, crc, true);
    head.setUint32(20, size, true);
    head.setUint32(24, size, true);
    head.setUint16(28, name.length, true);
    // extra length, comment length, disk number, internal attributes: 0
    head.setUint32(38, (0o100644 << 16) >>> 0, true); // a regular file, rw-r--r--
    head.setUint32(42, offset, true);
    chunks.push(new Uint8Array(local.buffer), name);
    for (const p of content) chunks.push(p);
    central.push(new Uint8Array(head.buffer), name);
    offset += 30 + name.length + size;
  }
  const centralSize = central.reduce((n, c) => n + c.length, 0);
  if (offset + centralSize > LIMIT_32) throw new Error('the archive would pass 4 GiB: export fewer images at a time');
  for (const c of central) chunks.push(c);
  const count = entries.length;
  if (count > 0xffff) {
    const end64 = new DataView(new ArrayBuffer(56 + 20));
    end64.setUint32(0, 0x06064b50, true); // ZIP64 end of central directory record
    end64.setBigUint64(4, 44n, true);
    end64.setUint16(12, 45, true);
    end64.setUint16(14, 45, true);
    // this disk, disk with the central directory: 0
    end64.setBigUint64(24, BigInt(count), true);
    end64.setBigUint64(32, BigInt(count), true);
    end64.setBigUint64(40, BigInt(centralSize), true);
    end64.setBigUint64(48, BigInt(offset), true);
    end64.setUint32(56, 0x07064b50, true); // ZIP64 end of central directory locator
    end64.setUint32(60, 0, true);
    end64.setBigUint64(64, BigInt(offset + centralSize), true);
    end64.setUint32(72, 1, true);
    chunks.push(new Uint8Array(end64.buffer));
  }
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true); // end of central directory
  end.setUint16(8, Math.min(count, 0xffff), true);
  end.setUint16(10, Math.min(count, 0xffff), true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  chunks.push(new Uint8Array(end.buffer));
  return chunks;
}

/** Joins chunks into one array (for writing to a file in one go, or for tests). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
