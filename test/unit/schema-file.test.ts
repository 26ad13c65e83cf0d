import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiSchema, printApiSchema } from '../../src/graphql-schema';

describe('schema.graphql', () => {
  it('is the schema the resolvers declare (run `npm run schema` when this fails)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(printApiSchema(await buildApiSchema())).toBe(committed);
  });
});
