import { z } from 'zod';
import { geometryProblems } from '../../model/geometry';
import { AUDIT_ACTIONS, GRANULARITIES, MODALITIES, SLIDE_FORMATS, STAIN_SETTINGS } from '../../model/types';

/** The shared format's identity; outside tools key on these two fields. */
export const FORMAT_NAME = 'granula-shared';
/**
 * 2 (from 1): the audit trail, team roles, assignments, work-package and return headers, edit stamps.
 * 3: slides from disk; 4: CT/MR series and the slice a shape is on; 5: length lines (`type: 'line'`).
 */
export const FORMAT_VERSION = 5;

/** Rings longer than this are refused: no real outline needs it, and it keeps a hostile file bounded. */
export const MAX_RING_COORDINATES = 200_000;

const id = z.string().min(1, 'must not be empty').max(200, 'is longer than 200 characters');
const isoTime = z.string().min(1).max(64);
const text = (max: number) => z.string().max(max, `is longer than ${max} characters`);

export const localizedText = z.object({ ja: text(500), en: text(500) });

const attributeDef = z.object({
  id,
  name: localizedText,
  type: z.enum(['enum', 'boolean', 'number', 'text']),
  required: z.boolean(),
  options: z.array(z.object({ id, name: localizedText })).max(500).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be #rrggbb');

/** What another tool said of a record beyond Granula's own fields (model/types.ts `Carried`). */
const cocoCarried = z.object({ id: z.union([z.number().int(), z.string().min(1).max(200)]).optional(), crowd: z.literal(true).optional() });
const carried = z.object({ coco: cocoCarried.optional() });

const labelClass = z.object({
  id,
  name: localizedText,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be #rrggbb'),
  code: z.object({ system: text(100), value: text(100) }).optional(),
  hotkey: z.string().max(1, 'hotkey must be a single key').optional(),
  objectKind: z.enum(['cell', 'region']).optional(),
  attributes: z.array(attributeDef).max(200),
  carried: carried.optional(),
});

export const labelSchemaSchema = z.object({
  id,
  version: z.number().int().min(1),
  name: localizedText,
  purpose: text(5000),
  granularity: z.enum(GRANULARITIES),
  selection: z.enum(['single', 'multi']),
  grade: z
    .object({
      id,
      name: localizedText,
      required: z.boolean(),
      levels: z.array(z.object({ value: z.number(), name: localizedText })).min(2).max(100),
      /** The classes the grade applies to; absent: every class. */
      classes: z.array(id).max(1000).optional(),
    })
    .optional(),
  classes: z.array(labelClass).max(1000),
  ordered: z.boolean().optional(),
  createdAt: isoTime,
});

/** What a ring's coordinates must be: the rule, and what the JSON Schema says (jsonSchema.ts). */
export const coordinateList = z.array(z.number()).max(MAX_RING_COORDINATES, `has more than ${MAX_RING_COORDINATES / 2} points`);

/**
 * A ring's coordinates checked as `coordinateList` checks them, with the same messages, but a ring of
 * finite numbers (nearly every ring) passes in one loop instead of one schema call per number: that
 * was two thirds of checking a file of 10⁵ cell outlines. Anything else gets coordinateList's verdict.
 */
export const coordinates = z.custom<number[]>().superRefine((value, ctx) => {
  if (Array.isArray(value) && value.length <= MAX_RING_COORDINATES && value.every(Number.isFinite)) return;
  const checked = coordinateList.safeParse(value);
  // `continue: false`, as coordinateList's own issues: the shape's checks do not run on a broken ring.
  if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ ...issue, continue: false } as Parameters<typeof ctx.addIssue>[0]);
});

const geometry = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('polygon'), points: coordinates, holes: z.array(coordinates).max(1000).optional() }),
    z.object({ type: z.literal('box'), x: z.number(), y: z.number(), w: z.number(), h: z.number() }),
    z.object({ type: z.literal('point'), x: z.number(), y: z.number() }),
    // Exactly two points (checked below, with a located message); the length is derived, never stored.
    z.object({ type: z.literal('line'), points: z.array(z.number()).min(4, 'a length line needs exactly 2 points').max(4, 'a length line needs exactly 2 points') }),
  ])
  .superRefine((g, ctx) => {
    for (const p of geometryProblems(g as never, { warnings: false })) {
      if (p.severity !== 'error') continue;
      ctx.addIssue({ code: 'custom', message: p.message, path: p.path.split(/[.[\]]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) });
    }
  });

/** One further part of a multi-part shape: its outline, then its holes; checked as a polygon is. */
const part = z
  .array(coordinates)
  .min(1, 'needs an outline')
  .max(1001, 'has more than 1000 holes')
  .superRefine((rings, ctx) => {
    for (const p of geometryProblems({ type: 'polygon', points: rings[0], holes: rings.slice(1) } as never, { warnings: false })) {
      if (p.severity !== 'error') continue;
      // `points[3]` is the outline, `holes[1][3]` the second ring: as indexes into this part's rings.
      const m = /^(points|holes\[(\d+)\])(.*)$/.exec(p.path);
      const ring = m ? (m[2] === undefined ? 0 : Number(m[2]) + 1) : 0;
      const rest = m ? m[3].split(/[.[\]]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [];
      ctx.addIssue({ code: 'custom', message: p.message, path: [ring, ...rest] });
    }
  });

const annotationCarried = carried.extend({
  parts: z.array(part).max(100_000).optional(),
  qupath: z
    .object({
      objectType: text(50).optional(),
      color: hexColor.optional(),
      locked: z.literal(true).optional(),
      unclassified: id.optional(),
      measurements: z.record(text(500), z.number()).optional(),
      measuredShape: text(64).optional(),
      metadata: z.record(text(500), text(10_000)).optional(),
    })
    .optional(),
});

/** A DICOM UID (PS3.5 9.1): digits in dot-separated components, at most 64 characters. */
const dicomUid = z.string().max(64).regex(/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/, 'is not a DICOM UID (digits and dots, at most 64 characters)');
const sliceRef = z.object({ sopInstanceUid: dicomUid, frame: z.number().int().min(1) });

const imageSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), blobId: id, mime: text(100), fileName: text(1000) }),
  z.object({ kind: z.literal('dzi'), url: text(4000) }),
  z.object({ kind: z.literal('iiif'), url: text(4000) }),
  z.object({ kind: z.literal('image-url'), url: text(4000) }),
  z.object({ kind: z.literal('synthetic'), seed: z.number().int() }),
  z.object({
    kind: z.literal('slide'),
    fileKey: text(200),
    fileNames: z.array(text(1000)).min(1).max(100000),
    bytes: z.number().int().nonnegative(),
    format: z.enum(SLIDE_FORMATS),
    associated: z.array(text(100)).max(20).optional(),
  }),
  z.object({
    kind: z.literal('dicom-series'),
    fileKey: text(200),
    fileNames: z.array(text(1000)).min(1).max(100000),
    bytes: z.number().int().nonnegative(),
    modality: text(16),
    sopClassUid: dicomUid,
    studyInstanceUid: dicomUid,
    seriesInstanceUid: dicomUid,
    seriesNumber: z.number().int().optional(),
    slices: z.array(sliceRef).min(1).max(100000),
  }),
]);

export const imageSchema = z.object({
  id,
  name: text(1000),
  modality: z.enum(MODALITIES),
  source: imageSource,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  mpp: z.number().positive().optional(),
  patientKey: text(200).optional(),
  caseKey: text(200).optional(),
  specimenKey: text(200).optional(),
  order: z.number(),
  addedAt: isoTime,
  carried: carried.optional(),
});

const annotatorSchema = z.object({ id, displayName: text(200), role: text(200).optional() });

const attributeValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const annotationSchema = z.object({
  id,
  imageId: id,
  classId: id,
  attributes: z.record(z.string(), attributeValue),
  geometry: geometry.nullable(),
  annotatorId: id,
  schemaId: id,
  schemaVersion: z.number().int().min(1),
  grade: z.number().optional(),
  uncertain: z.boolean().optional(),
  note: text(10_000).optional(),
  provenance: z
    .object({
      kind: z.enum(['manual', 'assistant', 'import', 'consensus']),
      acceptedBy: text(200).optional(),
      from: z.array(text(200)).max(1000).optional(),
      fromLabels: z.array(text(200)).max(1000).optional(),
      decidedAt: isoTime.optional(),
      disputed: z.array(text(200)).max(1000).optional(),
    })
    .optional(),
  carried: annotationCarried.optional(),
  slice: sliceRef.optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
  updatedBy: text(200).optional(),
  baseUpdatedAt: isoTime.optional(),
});

const imageStatusSchema = z.object({
  imageId: id,
  annotatorId: id,
  state: z.enum(['todo', 'in-progress', 'done']),
  noFinding: z.boolean(),
  updatedAt: isoTime,
  updatedBy: text(200).optional(),
  baseUpdatedAt: isoTime.optional(),
});

const exportLogEntry = z.object({
  at: isoTime,
  format: text(50),
  images: z.number().int().min(0),
  annotations: z.number().int().min(0),
  excludedImages: z.number().int().min(0),
  reason: text(1000).optional(),
});

const conflictSchema = z.object({
  id,
  recordKind: z.enum(['annotation', 'status']),
  recordId: id,
  imageId: id,
  annotatorId: id,
  theirs: z.union([annotationSchema, imageStatusSchema, z.null()]),
  file: text(1000),
  at: isoTime,
});

export const projectSchema = z.object({
  id,
  name: text(500),
  description: text(10_000),
  reviewMode: z.boolean(),
  optOut: z.array(text(200)),
  exportLog: z.array(exportLogEntry),
  assignments: z.array(z.object({ annotatorId: id, imageIds: z.array(id) })).optional(),
  conflicts: z.array(conflictSchema).optional(),
  /** This copy of the project was opened from a work package (an annotator's or reviewer's browser). */
  package: z.object({ annotatorId: id, issuedAt: isoTime, issuedBy: text(200) }).optional(),
  /** The stains the nucleus assistant assumes (version 3, optional: readers before it drop unknown fields). */
  stain: z.enum(STAIN_SETTINGS).optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const auditEntrySchema = z.object({
  id,
  at: isoTime,
  actor: text(200),
  action: z.enum(AUDIT_ACTIONS),
  recordKind: text(50).optional(),
  imageId: id.optional(),
  targets: z.array(text(300)),
  detail: text(5000).optional(),
});

/** Image bytes travel only in backups, never in a plain export. */
const embeddedFile = z.object({ blobId: id, mime: text(100), base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64') });

export const sharedDocumentSchema = z.object({
  format: z.literal(FORMAT_NAME),
  version: z.literal(FORMAT_VERSION),
  exportedAt: isoTime,
  generator: text(200).optional(),
  project: projectSchema,
  /** The schema version the project uses now. */
  schema: labelSchemaSchema,
  /** Earlier versions that annotations were made under. */
  schemaVersions: z.array(labelSchemaSchema),
  images: z.array(imageSchema),
  annotators: z.array(annotatorSchema),
  annotations: z.array(annotationSchema),
  imageStatus: z.array(imageStatusSchema),
  files: z.array(embeddedFile).optional(),
  /** Append-only: who created, changed, deleted, gathered, adjudicated and exported what, when. */
  audit: z.array(auditEntrySchema),
  /** A work package: what the coordinator hands one annotator (their images, no one's labels). */
  package: z.object({ annotatorId: id, issuedAt: isoTime, issuedBy: text(200) }).optional(),
  /** A return: one annotator's own work, sent back to the coordinator. */
  return: z.object({ annotatorId: id, returnedAt: isoTime }).optional(),
});

export type SharedDocument = z.infer<typeof sharedDocumentSchema>;
