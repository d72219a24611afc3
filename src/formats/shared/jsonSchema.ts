import { z } from 'zod';
import { FORMAT_VERSION, sharedDocumentSchema } from './schema';

export function sharedJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(sharedDocumentSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: `https://granula.invalid/schema/granula-shared-v${FORMAT_VERSION}.json`,
    title: `Granula shared annotation format, version ${FORMAT_VERSION}`,
    description: 'Geometry in level-0 image pixels, x to the right, y down. See docs/FORMAT.md.',
  };
}
