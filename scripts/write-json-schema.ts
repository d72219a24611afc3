// Writes the JSON Schema of the shared format, generated from the code's own zod schema.
import { writeFileSync } from 'node:fs';
import { sharedJsonSchema } from '../src/formats/shared/jsonSchema';

const out = JSON.stringify(sharedJsonSchema(), null, 2) + '\n';
for (const path of ['docs/granula-shared.schema.json', 'public/granula-shared.schema.json']) writeFileSync(path, out);
console.log('wrote docs/ and public/granula-shared.schema.json');
