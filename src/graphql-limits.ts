import {
  GraphQLError,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type ArgumentNode,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * What one GraphQL request may ask for. The schema has no cycles, so honest operations stay far
 * below these; the limits exist for documents built to make the server work (aliases repeating
 * an expensive field, thousands of tokens, fragments spread into each other).
 */
export const OPERATION_LIMITS = {
  /** An HTTP body or graphql-ws message; no legitimate operation comes near it. */
  maxRequestBytes: 100 * 1024,
  /** Nesting of selections: exactly what graphql-js's introspection query (GraphiQL's) needs. */
  maxDepth: 15,
  /** Aliased fields in one document. */
  maxAliases: 20,
  /** Operation definitions in one document (HTTP batching is off: one document per request). */
  maxOperations: 10,
  /** Estimated fields resolved: each field costs 1, a field with `first` multiplies its children. */
  maxComplexity: 5000,
  /** Lexical tokens; the parser stops counting here instead of building a huge AST. */
  maxTokens: 5000,
  /** A `first` given as a variable is costed at the largest page the API serves. */
  assumedPageSize: 100,
} as const;

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
}

interface Measure {
  depth: number;
  cost: number;
}

/** Walks one selection set with the schema's types, following fragments once per path. */
function measure(
  selectionSet: SelectionSetNode | undefined,
  parent: GraphQLNamedType | undefined,
  fragment: (name: string) => FragmentDefinitionNode | undefined,
  schema: GraphQLSchema,
  seen: ReadonlySet<string>,
): Measure {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
      const type = fields[selection.name.value]?.type;
      const child = measure(
        selection.selectionSet,
        type && getNamedType(type),
        fragment,
        schema,
        seen,
      );
      depth = Math.max(depth, child.depth + 1);
      cost += 1 + pageSize(selection.arguments) * child.cost;
      continue;
    }
    const definition =
      selection.kind === Kind.FRAGMENT_SPREAD ? fragment(selection.name.value) : selection;
    if (!definition) continue;
    const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
    // A fragment cycle is reported by graphql-js's own NoFragmentCycles rule; stop walking it.
    if (name && seen.has(name)) continue;
    const condition = definition.typeCondition?.name.value;
    const inner = measure(
      definition.selectionSet,
      condition ? schema.getType(condition) : parent,
      fragment,
      schema,
      name ? new Set([...seen, name]) : seen,
    );
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
  }
  return { depth, cost };
}

/** The multiplier a field's `first` argument puts on its children (1 without one). */
function pageSize(args: readonly ArgumentNode[] = []) {
  const first = args.find((arg) => arg.name.value === 'first')?.value;
  if (!first) return 1;
  if (first.kind === Kind.INT) {
    const value = Number(first.value);
    return Math.max(1, Math.min(value, OPERATION_LIMITS.assumedPageSize));
  }
  return OPERATION_LIMITS.assumedPageSize;
}

/** Refuses documents over the depth, complexity, alias or operation-count limits. */
export const operationLimitsRule: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  Document(document) {
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length > OPERATION_LIMITS.maxOperations) {
      context.reportError(
        limitError(`At most ${OPERATION_LIMITS.maxOperations} operations per document`),
      );
    }
    let aliases = 0;
    const countAliases = (set: SelectionSetNode | undefined) => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD && selection.alias) aliases += 1;
        if (selection.kind !== Kind.FRAGMENT_SPREAD) countAliases(selection.selectionSet);
      }
    };
    for (const definition of document.definitions) {
      if ('selectionSet' in definition) countAliases(definition.selectionSet);
    }
    if (aliases > OPERATION_LIMITS.maxAliases) {
      context.reportError(
        limitError(`At most ${OPERATION_LIMITS.maxAliases} aliases per document`),
      );
    }
    const schema = context.getSchema();
    for (const operation of operations) {
      const root = schema.getRootType(operation.operation) ?? undefined;
      const { depth, cost } = measure(
        operation.selectionSet,
        root,
        (name) => context.getFragment(name) ?? undefined,
        schema,
        new Set(),
      );
      if (depth > OPERATION_LIMITS.maxDepth) {
        context.reportError(
          limitError(`Query depth ${depth} is over the limit of ${OPERATION_LIMITS.maxDepth}`),
        );
      }
      if (cost > OPERATION_LIMITS.maxComplexity) {
        context.reportError(
          limitError(
            `Query complexity ${cost} is over the limit of ${OPERATION_LIMITS.maxComplexity}`,
          ),
        );
      }
    }
    return false;
  },
});
