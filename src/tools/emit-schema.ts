import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiSchema, printApiSchema } from '../graphql-schema';

/** Writes schema.graphql at the repository root (npm run schema). */
async function main() {
  const target = join(__dirname, '..', '..', 'schema.graphql');
  writeFileSync(target, printApiSchema(await buildApiSchema()));
  console.log(`wrote ${target}`);
}

void main();
