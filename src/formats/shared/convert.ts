import type { ProjectData } from '../../model/projectData';
import { currentSchema } from '../../model/projectData';
import { statusId } from '../../model/ids';
import { byTime } from '../../model/audit';
import type { ImageRecord } from '../../model/types';
import { FORMAT_NAME, FORMAT_VERSION, type SharedDocument } from './schema';

export interface EmbeddedFile {
  blobId: string;
  mime: string;
  base64: string;
}

/** Records in the document carry no projectId: the document is the project. */
export function toSharedDocument(data: ProjectData, opts: { exportedAt: string; files?: EmbeddedFile[] }): SharedDocument {
  const schema = currentSchema(data);
  const { project } = data;
  const doc: SharedDocument = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    exportedAt: opts.exportedAt,
    generator: 'Granula',
    project: {
      id: project.id,
      name: project.name,
      description: project.description,
      reviewMode: project.reviewMode,
      optOut: project.optOut,
      exportLog: project.exportLog,
      ...(project.assignments ? { assignments: project.assignments } : {}),
      ...(project.stain ? { stain: project.stain } : {}),
      ...(project.conflicts ? { conflicts: project.conflicts } : {}),
      ...(project.package ? { package: project.package } : {}),
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
    },
    schema,
    schemaVersions: data.schemas.filter((s) => s !== schema).sort((a, b) => a.version - b.version),
    images: [...data.images].sort((a, b) => a.order - b.order).map(({ projectId: _p, ...im }) => im),
    annotators: data.annotators.map(({ projectId: _p, ...a }) => a),
    annotations: data.annotations.map(({ projectId: _p, ...a }) => a),
    imageStatus: data.statuses.map(({ projectId: _p, id: _id, ...s }) => s),
    audit: [...data.audit].sort(byTime).map(({ projectId: _p, ...e }) => e),
  };
  if (opts.files) doc.files = opts.files;
  return doc;
}

/**
 * The project a document holds. `reuse`: the document is the caller's own and is not used again, so
 * its annotations become the project's in place (a million of them copied would double the memory).
 */
export function fromSharedDocument(doc: SharedDocument, projectId = doc.project.id, reuse = false): ProjectData {
  const schema = doc.schema;
  return {
    project: { ...doc.project, id: projectId, schemaId: schema.id },
    schemas: [...doc.schemaVersions, schema].sort((a, b) => a.version - b.version),
    images: doc.images.map((im): ImageRecord => ({ ...im, projectId })),
    annotators: doc.annotators.map((a) => ({ ...a, projectId })),
    annotations: reuse ? doc.annotations.map((a) => Object.assign(a, { projectId })) : doc.annotations.map((a) => ({ ...a, projectId })),
    statuses: doc.imageStatus.map((s) => ({ ...s, projectId, id: statusId(s.imageId, s.annotatorId) })),
    audit: doc.audit.map((e) => ({ ...e, projectId })),
  };
}
