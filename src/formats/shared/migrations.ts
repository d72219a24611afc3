import { FORMAT_NAME, FORMAT_VERSION } from './schema';

/**
 * Upgrades older shared-format documents step by step to the current version. Each entry takes a
 * document of version `from` and returns one of version `from + 1`; older files are migrated,
 * never rejected. Add a step and a fixture under tests/fixtures/shared/ for every new version.
 */
export const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  // Version 0 was the pre-release draft: `format` was "granula", image status was called `progress`
  // and annotations had no `schemaId` (the document's schema was implied).
  0: (doc) => {
    const schema = doc.schema as { id?: unknown } | undefined;
    const annotations = Array.isArray(doc.annotations) ? doc.annotations : [];
    const { progress, ...rest } = doc;
    return {
      ...rest,
      format: FORMAT_NAME,
      version: 1,
      imageStatus: Array.isArray(doc.imageStatus) ? doc.imageStatus : Array.isArray(progress) ? progress : [],
      schemaVersions: Array.isArray(doc.schemaVersions) ? doc.schemaVersions : [],
      annotations: annotations.map((a) =>
        a && typeof a === 'object' && !('schemaId' in a) ? { ...(a as object), schemaId: schema?.id } : a,
      ),
    };
  },
  // Version 2 added the audit trail (and optional team fields); a version-1 file had no trail to carry.
  1: (doc) => ({ ...doc, version: 2, audit: Array.isArray(doc.audit) ? doc.audit : [] }),
  // Version 3 added slides opened from disk (image source `slide`); a version-2 file has none.
  2: (doc) => ({ ...doc, version: 3 }),
  // Version 4 added CT/MR series from disk (image source `dicom-series`) and the slice a shape is on; a version-3 file has neither.
  3: (doc) => ({ ...doc, version: 4 }),
  // Version 5 added length lines (geometry `line`, two points); a version-4 file has none.
  4: (doc) => ({ ...doc, version: 5 }),
};

/**
 * The first version from which no step changes an annotation: a document of this version or later
 * can be read an annotation at a time (a slide's million) and only its other members migrated.
 * A step that changes annotations must raise this to its own target version.
 */
export const ANNOTATIONS_UNCHANGED_FROM = 1;

export type MigrationResult = { ok: true; doc: Record<string, unknown>; from: number } | { ok: false; problems: { path: string; message: string }[] };

export function migrateToCurrent(input: unknown): MigrationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: [{ path: '(root)', message: 'expected a JSON object (a Granula shared-format document)' }] };
  }
  let doc = input as Record<string, unknown>;
  const format = doc.format;
  if (format !== FORMAT_NAME && format !== 'granula') {
    const hint = looksLikeOtherFormat(doc);
    return { ok: false, problems: [{ path: 'format', message: `expected "${FORMAT_NAME}"${hint ? `; this looks like ${hint}` : ''}` }] };
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, problems: [{ path: 'version', message: 'must be a whole number' }] };
  }
  if (version > FORMAT_VERSION) {
    return { ok: false, problems: [{ path: 'version', message: `format version ${version} is newer than this Granula understands (${FORMAT_VERSION}); update Granula` }] };
  }
  for (let v = version; v < FORMAT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) return { ok: false, problems: [{ path: 'version', message: `no migration from format version ${v}` }] };
    doc = step(doc);
  }
  return { ok: true, doc, from: version };
}

function looksLikeOtherFormat(doc: Record<string, unknown>): string | null {
  if (doc.type === 'FeatureCollection' || doc.type === 'Feature') return 'GeoJSON';
  if (Array.isArray(doc.images) && Array.isArray(doc.categories)) return 'a COCO file';
  return null;
}
