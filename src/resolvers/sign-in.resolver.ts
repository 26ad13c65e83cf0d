import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { SignInArgs, SignInResult } from '../schema/sign-in.type';
import type { SignInService } from '../services/sign-in.service';
import { requireInternalNetwork } from './guards';

@Resolver()
export class SignInResolver {
  constructor(private readonly signIns: SignInService) {}

  @Mutation(() => SignInResult, {
    description: 'Checks the AD password and returns an access token. Internal network only.',
  })
  async signIn(@Args() { username, password }: SignInArgs, @Ctx() context: RequestContext) {
    requireInternalNetwork(context);
    return this.signIns.signIn(username, password);
  }
}
