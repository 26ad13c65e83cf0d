import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { PassportBinding } from '../schema/passport-binding.type';
import type { PassportBindingService } from '../services/passport-binding.service';
import { requireUser } from './guards';
import { bindingView } from './verification.resolver';

@Resolver(() => PassportBinding)
export class PassportBindingResolver {
  constructor(private readonly bindings: PassportBindingService) {}

  @Query(() => PassportBinding, {
    nullable: true,
    description: "The signed-in user's current passport binding, or null when none is registered",
  })
  async myPassportBinding(@Ctx() context: RequestContext) {
    const user = requireUser(context);
    const record = await this.bindings.currentForAccount(user.accountId);
    return record ? bindingView(this.bindings, record) : null;
  }
}
