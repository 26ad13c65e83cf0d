import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import type { AssuranceRecordRecord } from '../models/assurance-record.model';
import {
  AssuranceRecordConnection,
  AssuranceRecordsArgs,
  PassportBindingConnection,
  PassportBindingsArgs,
  RevokeArgs,
  UsernameArgs,
} from '../schema/admin.type';
import { PassportBinding } from '../schema/passport-binding.type';
import type { AdminAccess } from '../services/admin-access';
import type { AssuranceRecordService } from '../services/assurance-record.service';
import type { DirectoryService } from '../services/directory.service';
import { connectionOf, decodeCursor, pageSize } from '../services/pagination';
import type { PassportBindingSearch } from '../services/passport-binding-search.service';
import type { PassportBindingService } from '../services/passport-binding.service';
import type { RevocationService } from '../services/revocation.service';
import { requireUser } from './guards';

/** The GraphQL shape of an assurance record. */
export function recordView(record: AssuranceRecordRecord) {
  return { ...record, id: record._id };
}

/** What admin consoles use: list, search and revoke bindings, read the evidence. */
@Resolver()
export class AdminResolver {
  constructor(
    private readonly admins: AdminAccess,
    private readonly directory: DirectoryService,
    private readonly bindings: PassportBindingService,
    private readonly search: PassportBindingSearch,
    private readonly records: AssuranceRecordService,
    private readonly revocations: RevocationService,
  ) {}

  @Query(() => PassportBinding, {
    nullable: true,
    description: "Admin: the account's newest binding, whatever its status",
  })
  async passportBinding(@Args() { username }: UsernameArgs, @Ctx() context: RequestContext) {
    await this.admins.require(requireUser(context));
    const account = await this.directory.findByUsername(username);
    const record = account && (await this.search.latestForAccount(account.id));
    return record ? this.bindings.view(record) : null;
  }

  @Query(() => PassportBindingConnection, { description: 'Admin: bindings, newest first' })
  async passportBindings(
    @Args() { filter, first, after }: PassportBindingsArgs,
    @Ctx() context: RequestContext,
  ) {
    await this.admins.require(requireUser(context));
    const size = pageSize(first);
    const criteria = { ...filter, status: filter?.status };
    const rows = await this.search.page(
      criteria,
      size + 1,
      after ? decodeCursor(after) : undefined,
    );
    let counted: Promise<number> | undefined;
    const count = () => (counted ??= this.search.count(criteria));
    return {
      ...connectionOf(
        rows,
        size,
        (row) => ({ at: row.verifiedAt, id: row._id }),
        (row) => this.bindings.view(row),
      ),
      // A getter: counted only when a client asks for the field.
      get totalCount() {
        return count();
      },
    };
  }

  @Query(() => AssuranceRecordConnection, {
    description: 'Admin: the evidence trail, newest first',
  })
  async assuranceRecords(
    @Args() { username, first, after }: AssuranceRecordsArgs,
    @Ctx() context: RequestContext,
  ) {
    await this.admins.require(requireUser(context));
    const size = pageSize(first);
    const rows = await this.records.page(
      username,
      size + 1,
      after ? decodeCursor(after) : undefined,
    );
    let counted: Promise<number> | undefined;
    const count = () => (counted ??= this.records.count(username));
    return {
      ...connectionOf(rows, size, (row) => ({ at: row.at, id: row._id }), recordView),
      get totalCount() {
        return count();
      },
    };
  }

  @Mutation(() => PassportBinding, {
    description:
      "Admin: revokes the account's current binding and removes it from AD; NOT_FOUND when there is none",
  })
  async revokePassportBinding(
    @Args() { username, reason }: RevokeArgs,
    @Ctx() context: RequestContext,
  ) {
    const admin = requireUser(context);
    await this.admins.require(admin);
    const revoked = await this.revocations.revoke(
      username,
      reason,
      admin.username,
      context.clientIp,
    );
    return this.bindings.view(revoked);
  }
}
