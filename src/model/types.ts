/** The document records of a Granula project. Geometry is always in level-0 image pixels, x right, y down. */

export const MODALITIES = ['pathology-wsi', 'endoscopy', 'fundus', 'radiology', 'other'] as const;
export type Modality = (typeof MODALITIES)[number];

export const GRANULARITIES = ['image', 'box', 'polygon', 'point'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface LocalizedText {
  ja: string;
  en: string;
}

export type AttributeType = 'enum' | 'boolean' | 'number' | 'text';

export interface AttributeOption {
  id: string;
  name: LocalizedText;
}

export interface AttributeDef {
  id: string;
  name: LocalizedText;
  type: AttributeType;
  required: boolean;
  /** Only for `enum`. */
  options?: AttributeOption[];
  /** Only for `number`. */
  min?: number;
  max?: number;
}

export interface ClassCode {
  /** e.g. "ICD-10", "SNOMED CT", "ICD-O-3". */
  system: string;
  value: string;
}

/**
 * What another tool said of a record that Granula's own fields do not hold, kept as it came so that
 * an export back to that tool writes it unchanged (docs/FORMAT-INTERCHANGE.md, "Carried fields").
 * Granula itself never reads these fields: editing a record leaves them as they were.
 */
export interface Carried {
  coco?: CocoCarried;
}

export interface CocoCarried {
  /** The record's `id` in the COCO file it came from (a number, or text as some tools write it). */
  id?: number | string;
  /** Annotations only: a crowd region (`iscrowd: 1`), which COCO evaluation ignores rather than counts. */
  crowd?: true;
}

/** What QuPath said of an object beyond its shape, class and name (the name is the annotation's note). */
export interface QuPathCarried {
  /** `cell`, `tile`, … when it is not what the class's object kind writes (`detection` or `annotation`). */
  objectType?: string;
  /** The object's own colour (#rrggbb), drawn instead of its class's. */
  color?: string;
  locked?: true;
  /** Set on an object QuPath had not classified: the class it was given here. While the annotation keeps that class, it is written unclassified. */
  unclassified?: string;
  /** QuPath's measurements, by name. */
  measurements?: Record<string, number>;
  /** Which shape the measurements were made on (a hash of it): once the shape is edited they no longer hold and are not written back. */
  measuredShape?: string;
  /** QuPath 0.5's object metadata. */
  metadata?: Record<string, string>;
}

export interface AnnotationCarried extends Carried {
  /**
   * The further polygons of a shape drawn in several parts (a QuPath MultiPolygon, a COCO object of
   * several polygons), each its outline and then its holes. `geometry` is the first part: Granula
   * draws, edits and compares that one; these travel with it and are written back beside it.
   */
  parts?: number[][][];
  qupath?: QuPathCarried;
}

/** `cell` classes export as QuPath detections; `region` classes as annotations. */
export type ObjectKind = 'cell' | 'region';

export interface LabelClass {
  /** Stable across schema versions: annotations point at it. */
  id: string;
  name: LocalizedText;
  color: string;
  code?: ClassCode;
  /** A single key, "1"–"9" by default. */
  hotkey?: string;
  objectKind?: ObjectKind;
  attributes: AttributeDef[];
  /** What the tool this class came from called it (a COCO category id), written back on export. */
  carried?: Carried;
}

export interface GradeLevel {
  value: number;
  name: LocalizedText;
}

/** An ordinal grade recorded beside an image-level label (e.g. diabetic retinopathy 0–4). */
export interface GradeDef {
  id: string;
  name: LocalizedText;
  levels: GradeLevel[];
  required: boolean;
  /**
   * The classes whose labels take this grade (e.g. the DR grade only on diabetic retinopathy);
   * absent: every class, as in schemas made before the list existed.
   */
  classes?: string[];
}

export interface LabelSchema {
  id: string;
  /** Starts at 1; a new version is made when a schema with annotations is edited. */
  version: number;
  name: LocalizedText;
  purpose: string;
  granularity: Granularity;
  /** For `image` granularity: one class per image, or several. */
  selection: 'single' | 'multi';
  grade?: GradeDef;
  classes: LabelClass[];
  /**
   * The classes, in the order listed, form a scale (e.g. none < mild < severe): weighted kappa and
   * ordinal/interval alpha may rank them. Absent or false: the classes are categories without an
   * order (diagnoses), and those measures do not apply.
   */
  ordered?: boolean;
  createdAt: string;
}

export type ImageSource =
  | { kind: 'file'; blobId: string; mime: string; fileName: string }
  | { kind: 'dzi'; url: string }
  | { kind: 'iiif'; url: string }
  | { kind: 'image-url'; url: string }
  | { kind: 'synthetic'; seed: number }
  /**
   * A whole-slide file on the user's disk (.svs, pyramidal TIFF, OME-TIFF, DICOM WSI instances),
   * never copied into the browser. `fileKey` names how this browser reaches it again (see
   * storage/slideFiles.ts); names and total size let another browser match the user's own copy.
   */
  | { kind: 'slide'; fileKey: string; fileNames: string[]; bytes: number; format: SlideFormatName; associated?: string[] }
  /**
   * A CT or MR series on the user's disk (DICOM instances), never copied into the browser: reached
   * again as a slide is (`fileKey`). The UIDs are the project's replacements (`2.25.…`, the same
   * ones `granula deid` writes with the project's key), never the scanner's: UIDs identify.
   */
  | DicomSeriesSource;

export interface DicomSeriesSource {
  kind: 'dicom-series';
  fileKey: string;
  fileNames: string[];
  bytes: number;
  /** DICOM Modality: CT or MR. */
  modality: string;
  sopClassUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  seriesNumber?: number;
  /** The slices in order along the slice normal (foot to head for an axial CT), one per frame. */
  slices: DicomSliceRef[];
}

/** One slice of a series: an instance, and its frame (1-based, as DICOM counts frames). */
export interface DicomSliceRef {
  sopInstanceUid: string;
  frame: number;
}

export const SLIDE_FORMATS = ['aperio-svs', 'generic-tiff', 'ome-tiff', 'dicom-wsi'] as const;
export type SlideFormatName = (typeof SLIDE_FORMATS)[number];

export interface ImageRecord {
  id: string;
  projectId: string;
  name: string;
  modality: Modality;
  source: ImageSource;
  width: number;
  height: number;
  /** Microns per level-0 pixel, when the slide gives it. */
  mpp?: number;
  /** Pseudonymous patient key (never a clear identifier). */
  patientKey?: string;
  caseKey?: string;
  specimenKey?: string;
  /** Position in the worklist. */
  order: number;
  addedAt: string;
  /** What the tool this image came from called it (a COCO image id), written back on export. */
  carried?: Carried;
}

/**
 * What a person does in a project's team loop. The coordinator owns the schema and the worklist and
 * gathers returns; annotators label what they were assigned, blind; reviewers settle disagreements.
 */
export const TEAM_ROLES = ['coordinator', 'annotator', 'reviewer'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** Consensus labels are saved as this annotator; reviewers (and the coordinator) make them. */
export const CONSENSUS_ANNOTATOR = 'consensus';

export interface Annotator {
  id: string;
  projectId: string;
  displayName: string;
  /** A TeamRole; older files may hold other words, read as "annotator". */
  role?: string;
}

export interface PolygonGeometry {
  type: 'polygon';
  /** Flat ring x0, y0, x1, y1, … (as COCO's segmentation); not closed (first point not repeated). */
  points: number[];
  holes?: number[][];
}

export interface BoxGeometry {
  type: 'box';
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PointGeometry {
  type: 'point';
  x: number;
  y: number;
}

/**
 * A length measurement: a straight line between two points (format version 5). Its length is
 * derived from the image's pixel size (mm on a CT/MR slice, µm on a slide), never stored.
 */
export interface LineGeometry {
  type: 'line';
  /** x0, y0, x1, y1: exactly two points. */
  points: number[];
}

export type Geometry = PolygonGeometry | BoxGeometry | PointGeometry | LineGeometry;

export type AttributeValue = string | number | boolean;

export interface Provenance {
  /** `assistant`: proposed by the outline assistant and accepted by `acceptedBy`. */
  kind: 'manual' | 'assistant' | 'import' | 'consensus';
  acceptedBy?: string;
  /** Consensus only: the annotators whose labels it was decided from. */
  from?: string[];
  /** Consensus only: the ids of those labels. */
  fromLabels?: string[];
  /** Consensus only: when the reviewer (`acceptedBy`) decided. */
  decidedAt?: string;
  /** Consensus only: attributes the annotators did not agree on (left for the reviewer, not guessed). */
  disputed?: string[];
}

/**
 * Who last changed a record, and (when that was not its annotator) which of the annotator's own
 * versions the change started from: a gather uses them to tell "changed on both sides" apart from
 * "only the annotator changed it" (see model/team.ts).
 */
export interface EditStamp {
  updatedBy?: string;
  /** The annotator's own `updatedAt` that a change by someone else started from. */
  baseUpdatedAt?: string;
}

export interface Annotation {
  id: string;
  projectId: string;
  imageId: string;
  classId: string;
  attributes: Record<string, AttributeValue>;
  /** `null` for image-level (diagnosis) labels. */
  geometry: Geometry | null;
  annotatorId: string;
  schemaId: string;
  schemaVersion: number;
  /** Ordinal grade value, for image-level labels of a schema with a grade. */
  grade?: number;
  uncertain?: boolean;
  note?: string;
  provenance?: Provenance;
  /** What the tool this annotation came from said that Granula's own fields do not hold (see Carried). */
  carried?: AnnotationCarried;
  /**
   * On a CT/MR series: the slice a shape was drawn on (format version 4). Absent on a series-level
   * label and on every other kind of image.
   */
  slice?: DicomSliceRef;
  createdAt: string;
  updatedAt: string;
  updatedBy?: string;
  baseUpdatedAt?: string;
}

export type WorkState = 'todo' | 'in-progress' | 'done';

/** One annotator's progress on one image. Absent means "not yet looked at". */
export interface ImageStatus {
  id: string;
  projectId: string;
  imageId: string;
  annotatorId: string;
  state: WorkState;
  /** Looked at and found nothing: differs from "not yet looked at". */
  noFinding: boolean;
  updatedAt: string;
  updatedBy?: string;
  baseUpdatedAt?: string;
}

export interface ExportLogEntry {
  at: string;
  format: string;
  images: number;
  annotations: number;
  excludedImages: number;
  reason?: string;
}

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'import', 'package', 'return', 'gather', 'settle', 'adjudicate', 'export'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One line of the append-only audit trail: who did what to which records, when. Entries are never
 * edited or removed; merges take the union by id, so no gather loses one.
 */
export interface AuditEntry {
  id: string;
  projectId: string;
  at: string;
  /** The annotator id of the person who acted ("" when the browser had no name yet). */
  actor: string;
  action: AuditAction;
  /** The kind of records the entry is about (annotation, status, schema, image, project). */
  recordKind?: string;
  imageId?: string;
  /** Ids of the records concerned (annotation ids, status ids, …). */
  targets: string[];
  /** Free words: the file gathered, the export format, the counts. */
  detail?: string;
}

/** The images one annotator is to label. */
export interface Assignment {
  annotatorId: string;
  imageIds: string[];
}

/** A record changed on both sides since the last gather: the coordinator decides which stays. */
export interface MergeConflict {
  id: string;
  recordKind: 'annotation' | 'status';
  recordId: string;
  imageId: string;
  annotatorId: string;
  /** The returned version (the stored one stays in place until settled); null: deleted in the return. */
  theirs: Omit<Annotation, 'projectId'> | Omit<ImageStatus, 'projectId' | 'id'> | null;
  file: string;
  at: string;
}

/** Set on an annotator's copy of a project that was opened from a work package. */
export interface PackageInfo {
  annotatorId: string;
  issuedAt: string;
  issuedBy: string;
}

export interface Project {
  id: string;
  name: string;
  description: string;
  /** The schema id; its versions are kept as separate schema records. */
  schemaId: string;
  /** When on, annotators see everyone's labels; off means blind annotation. */
  reviewMode: boolean;
  /** Pseudonymous patient keys of patients who declined secondary use. */
  optOut: string[];
  exportLog: ExportLogEntry[];
  /** Who labels which images; absent means everyone labels every image. */
  assignments?: Assignment[];
  /** Records changed on both sides, waiting for the coordinator. */
  conflicts?: MergeConflict[];
  /** This copy came from a work package (an annotator's browser). */
  package?: PackageInfo;
  /** The stains the nucleus assistant assumes on this project's images; absent means 'auto' (estimated per image). */
  stain?: StainSetting;
  createdAt: string;
  updatedAt: string;
}

/** H&E, haematoxylin–DAB (IHC), or estimated from each image's pixels. */
export const STAIN_SETTINGS = ['auto', 'he', 'hdab'] as const;
export type StainSetting = (typeof STAIN_SETTINGS)[number];
