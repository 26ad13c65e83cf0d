import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { DirectoryAccount } from '../schema/directory-account.type';
import { AssuranceRecord, PassportBinding } from '../schema/passport-binding.type';
import type { SignInService } from '../services/sign-in.service';
import { recordView } from './admin.resolver';
import type { PassportBindingService } from '../services/passport-binding.service';
import { requireUser } from './guards';

@Resolver(() => PassportBinding)
export class PassportBindingResolver {
  constructor(
    private readonly bindings: PassportBindingService,
    private readonly signIns: SignInService,
  ) {}

  @Query(() => PassportBinding, {
    nullable: true,
    description: "The signed-in user's current passport binding, or null when none is registered",
  })
  async myPassportBinding(@Ctx() context: RequestContext) {
    const user = requireUser(context);
    const record = await this.bindings.currentForAccount(user.accountId);
    return record ? this.bindings.view(record) : null;
  }

  @FieldResolver(() => DirectoryAccount, {
    nullable: true,
    description: 'The AD account as it is now; null when it no longer exists',
  })
  async account(@Root() binding: { accountId: string }, @Ctx() context: RequestContext) {
    const account = await context.loaders.accounts.load(binding.accountId);
    return account ? { ...account, isAdmin: this.signIns.isAdmin(account) } : null;
  }

  @FieldResolver(() => [AssuranceRecord], { description: "The binding's evidence, newest first" })
  async assuranceRecords(@Root() binding: { id: string }, @Ctx() context: RequestContext) {
    return (await context.loaders.recordsByBinding.load(binding.id)).map(recordView);
  }
}
