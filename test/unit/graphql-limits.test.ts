import { buildSchema, parse, validate } from 'graphql';
import { operationLimitsRule } from '../../src/graphql-limits';

/** A small schema shaped like ours: a paged connection whose nodes have a list field. */
const schema = buildSchema(`
  type Query { items(first: Int): Connection!, item: Item, deep: Node }
  type Connection { edges: [Item!]! }
  type Item { id: ID!, name: String, tags: [String!]! }
  type Node { child: Node, name: String }
`);

/** The limit errors a document gets (empty when it is within every limit). */
const errors = (query: string) =>
  validate(schema, parse(query), [operationLimitsRule]).map((e) => e.message);

describe('operation limits', () => {
  it('costs each field 1 and multiplies what is under a `first` by its value', () => {
    // items: 1 + 50 × (edges 1 + id 1 + name 1) = 151, under the limit
    expect(errors('{ items(first: 50) { edges { id name } } }')).toEqual([]);
    // 2 × (items 1 + 100 × (edges 1 + 24 fields)) = 5002
    const fields = Array.from({ length: 24 }, () => 'name').join(' ');
    expect(
      errors(
        `{ a: items(first: 100) { edges { ${fields} } } b: items(first: 100) { edges { ${fields} } } }`,
      ),
    ).toEqual(['Query complexity 5002 is over the limit of 5000']);
  });

  it('costs a `first` given as a variable as the largest page', () => {
    const fields = Array.from({ length: 49 }, () => 'name').join(' ');
    expect(errors(`query($n: Int) { items(first: $n) { edges { ${fields} } } }`)).toEqual([
      'Query complexity 5001 is over the limit of 5000',
    ]);
    expect(errors(`{ items(first: 2) { edges { ${fields} } } }`)).toEqual([]);
  });

  it('counts depth through fragments and inline fragments', () => {
    const nest = (n: number) => `${'child { '.repeat(n)}name${' }'.repeat(n)}`;
    expect(errors(`{ deep { ${nest(13)} } }`)).toEqual([]);
    expect(errors(`{ deep { ...F } } fragment F on Node { ... on Node { ${nest(14)} } }`)).toEqual([
      'Query depth 16 is over the limit of 15',
    ]);
  });

  it('stops walking a fragment cycle instead of looping (graphql-js reports the cycle)', () => {
    expect(
      errors('{ deep { ...A } } fragment A on Node { child { ...B } } fragment B on Node { ...A }'),
    ).toEqual([]);
  });

  it('caps aliases and operations per document', () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: item { id }`);
    expect(errors(`{ ${aliases(20).join(' ')} }`)).toEqual([]);
    expect(errors(`{ ${aliases(21).join(' ')} }`)).toEqual(['At most 20 aliases per document']);
    const operations = Array.from({ length: 11 }, (_, i) => `query q${i} { item { id } }`);
    expect(errors(operations.join('\n'))).toEqual(['At most 10 operations per document']);
  });
});
