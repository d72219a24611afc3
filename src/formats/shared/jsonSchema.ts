import { z } from 'zod';
import { coordinateList, coordinates, FORMAT_VERSION, sharedDocumentSchema } from './schema';

export function sharedJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(sharedDocumentSchema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    // The fast check of a ring's coordinates is a custom type to zod: describe it by the rule it applies.
    override: (ctx) => {
      if (ctx.zodSchema !== coordinates) return;
      Object.assign(ctx.jsonSchema, z.toJSONSchema(coordinateList, { target: 'draft-2020-12' }));
      delete ctx.jsonSchema.$schema;
    },
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: `https://granula.invalid/schema/granula-shared-v${FORMAT_VERSION}.json`,
    title: `Granula shared annotation format, version ${FORMAT_VERSION}`,
    description: 'Geometry in level-0 image pixels, x to the right, y down. See docs/FORMAT.md.',
  };
}
