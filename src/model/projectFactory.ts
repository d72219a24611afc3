import { newId } from './ids';
import type { ProjectData } from './projectData';
import { templateSchema, type TemplateId } from './templates';

export function newProjectData(opts: { name: string; template: TemplateId; now: string; description?: string }): ProjectData {
  const id = newId('prj');
  const schema = templateSchema(opts.template, newId('sch'), opts.now);
  return {
    project: {
      id,
      name: opts.name,
      description: opts.description ?? schema.purpose,
      schemaId: schema.id,
      reviewMode: false,
      optOut: [],
      exportLog: [],
      createdAt: opts.now,
      updatedAt: opts.now,
    },
    schemas: [schema],
    images: [],
    annotators: [],
    annotations: [],
    statuses: [],
    audit: [],
  };
}
