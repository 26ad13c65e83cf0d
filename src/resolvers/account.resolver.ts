import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { DirectoryAccount } from '../schema/directory-account.type';
import type { SignInService } from '../services/sign-in.service';
import { requireUser } from './guards';

@Resolver(() => DirectoryAccount)
export class AccountResolver {
  constructor(private readonly signIns: SignInService) {}

  @Query(() => DirectoryAccount, {
    nullable: true,
    description: 'The signed-in user; null when no access token was sent',
  })
  async me(@Ctx() context: RequestContext) {
    if (!context.user && !context.authError) return null;
    return this.signIns.currentAccount(requireUser(context));
  }
}
