import { printSchema, type GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema, type ContainerType } from 'type-graphql';
import { AccountResolver } from './resolvers/account.resolver';
import { AdminResolver } from './resolvers/admin.resolver';
import { PassportBindingResolver } from './resolvers/passport-binding.resolver';
import { SignInResolver } from './resolvers/sign-in.resolver';
import {
  VerificationResolver,
  VerificationStatusEventResolver,
} from './resolvers/verification.resolver';

/** Every resolver class; the schema is the union of what they declare. */
export const RESOLVERS = [
  SignInResolver,
  AccountResolver,
  VerificationResolver,
  VerificationStatusEventResolver,
  PassportBindingResolver,
  AdminResolver,
] as const;

/**
 * Builds the executable schema. The container hands type-graphql the app's resolver
 * instances, so two apps in one process keep their own services.
 */
export function buildApiSchema(container?: ContainerType): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS],
    container,
    // The contract names the scalar DateTime (type-graphql's default would be DateTimeISO).
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    validate: { forbidUnknownValues: false },
    // Every subscription brings its own `subscribe`; type-graphql insists on a pubSub anyway.
    pubSub: {
      publish: () => {
        throw new Error('unused: subscriptions publish through StatusEvents');
      },
      subscribe: () => {
        throw new Error('unused: subscriptions subscribe through VerificationStatusFeed');
      },
    },
  });
}

/** The schema as committed in schema.graphql (the order follows RESOLVERS and the classes). */
export function printApiSchema(schema: GraphQLSchema): string {
  return printSchema(schema) + '\n';
}
