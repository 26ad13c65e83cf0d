import {
  Args,
  Ctx,
  FieldResolver,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import type { RequestContext } from '../context';
import type { VerificationSessionRecord } from '../models/verification-session.model';
import { PassportBinding } from '../schema/passport-binding.type';
import {
  SessionArgs,
  VerificationSession,
  VerificationStarted,
  VerificationStatusEvent,
} from '../schema/verification-session.type';
import { qrCodeSvg } from '../services/activation-codes';
import type { LoginService } from '../services/login.service';
import type { PassportBindingService } from '../services/passport-binding.service';
import type { CallLimiter } from '../services/rate-limiter';
import { LoginResult } from '../schema/login-result.type';
import type { SignInService } from '../services/sign-in.service';
import type { StatusEvent } from '../services/status-events';
import type { VerificationSessionService } from '../services/verification-session.service';
import { requireInternalNetwork, requireUser } from './guards';

/** The GraphQL shape of a session record (qrCodeSvg and binding are resolved on demand). */
export function sessionView(record: VerificationSessionRecord) {
  return {
    id: record._id,
    purpose: record.purpose,
    status: record.status,
    reason: record.reason,
    activationCode: record.activationCode,
    qrCodeData: record.qrCodeData,
    expiresAt: record.expiresAt,
    createdAt: record.createdAt,
    bindingId: record.bindingId,
    login: record.login,
  };
}
type SessionView = ReturnType<typeof sessionView>;

@Resolver(() => VerificationSession)
export class VerificationResolver {
  constructor(
    private readonly sessions: VerificationSessionService,
    private readonly signIns: SignInService,
    private readonly bindings: PassportBindingService,
    private readonly logins: LoginService,
    private readonly loginLimiter: CallLimiter,
  ) {}

  @Mutation(() => VerificationStarted, {
    description: 'Starts binding a passport to the signed-in account. Internal network only.',
  })
  async startPassportRegistration(@Ctx() context: RequestContext) {
    const user = requireUser(context);
    requireInternalNetwork(context);
    const account = await this.signIns.currentAccount(user);
    const { session, sessionToken } = await this.sessions.start(
      'REGISTRATION',
      context.clientIp,
      account,
    );
    return { session: sessionView(session), sessionToken };
  }

  @Mutation(() => VerificationStarted, {
    description:
      'Starts proving who you are with your registered passport. Anonymous; rate limited.',
  })
  async startPassportLogin(@Ctx() context: RequestContext) {
    await this.loginLimiter.take(context.clientIp);
    const { session, sessionToken } = await this.sessions.start('LOGIN', context.clientIp);
    return { session: sessionView(session), sessionToken };
  }

  @Mutation(() => VerificationSession, { description: 'Cancels a session that is still waiting' })
  async cancelVerification(@Args() { sessionId, sessionToken }: SessionArgs) {
    return sessionView(await this.sessions.cancel(sessionId, sessionToken));
  }

  @Query(() => VerificationSession, {
    nullable: true,
    description: 'The session, for the holder of its token: the polling fallback',
  })
  async verificationSession(@Args() { sessionId, sessionToken }: SessionArgs) {
    return sessionView(await this.sessions.forHolder(sessionId, sessionToken));
  }

  @Subscription(() => VerificationStatusEvent, {
    description: 'The current state, then every change; completes after a final state',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, SessionArgs, RequestContext>) =>
      context.statusFeed.follow(args.sessionId, args.sessionToken),
  })
  verificationStatus(@Root() event: StatusEvent, @Args() _args: SessionArgs) {
    return event;
  }

  @FieldResolver(() => String)
  qrCodeSvg(@Root() session: SessionView) {
    return qrCodeSvg(session.qrCodeData);
  }

  @FieldResolver(() => PassportBinding, { nullable: true })
  async binding(@Root() session: SessionView) {
    return session.purpose === 'REGISTRATION'
      ? bindingById(this.bindings, session.bindingId)
      : null;
  }

  @FieldResolver(() => LoginResult, { nullable: true })
  login(@Root() session: SessionView) {
    return this.logins.grantOf(session.id, session.login);
  }
}

@Resolver(() => VerificationStatusEvent)
export class VerificationStatusEventResolver {
  constructor(
    private readonly bindings: PassportBindingService,
    private readonly sessions: VerificationSessionService,
    private readonly logins: LoginService,
  ) {}

  @FieldResolver(() => PassportBinding, { nullable: true })
  async binding(@Root() event: StatusEvent) {
    return event.purpose === 'REGISTRATION' ? bindingById(this.bindings, event.bindingId) : null;
  }

  @FieldResolver(() => LoginResult, { nullable: true })
  async login(@Root() event: StatusEvent) {
    if (event.purpose !== 'LOGIN' || event.status !== 'VERIFIED') return null;
    const session = await this.sessions.byId(event.sessionId);
    return session ? this.logins.grantOf(session._id, session.login) : null;
  }
}

async function bindingById(bindings: PassportBindingService, bindingId: string | undefined) {
  if (!bindingId) return null;
  const record = await bindings.byId(bindingId);
  return record && record.status !== 'PENDING' ? bindings.view(record) : null;
}
