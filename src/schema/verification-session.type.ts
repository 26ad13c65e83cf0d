import { Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { VerificationFailureReason, VerificationPurpose, VerificationStatus } from './enums';
import { LoginResult } from './login-result.type';
import { PassportBinding } from './passport-binding.type';

@ObjectType({ description: 'One verification attempt with the passport app' })
export class VerificationSession {
  @Field(() => ID)
  id!: string;

  @Field(() => VerificationPurpose)
  purpose!: keyof typeof VerificationPurpose;

  @Field(() => VerificationStatus)
  status!: keyof typeof VerificationStatus;

  @Field(() => VerificationFailureReason, { nullable: true })
  reason?: keyof typeof VerificationFailureReason;

  @Field({ description: '8 digits the user enters in the app' })
  activationCode!: string;

  @Field({ description: 'The deep link the QR code encodes' })
  qrCodeData!: string;

  @Field({ description: 'The QR code as an SVG document' })
  qrCodeSvg!: string;

  @Field()
  expiresAt!: Date;

  @Field()
  createdAt!: Date;

  @Field(() => PassportBinding, { nullable: true, description: 'The new binding, once VERIFIED' })
  binding?: PassportBinding;

  @Field(() => LoginResult, {
    nullable: true,
    description: 'For a VERIFIED login, until the assertion expires',
  })
  login?: LoginResult;
}

@ObjectType()
export class VerificationStarted {
  @Field(() => VerificationSession)
  session!: VerificationSession;

  @Field({ description: 'The secret for polling, subscribing and cancelling; shown once' })
  sessionToken!: string;
}

@ObjectType({ description: 'A state of a session, pushed to its subscribers' })
export class VerificationStatusEvent {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => VerificationStatus)
  status!: keyof typeof VerificationStatus;

  @Field(() => VerificationFailureReason, { nullable: true })
  reason?: keyof typeof VerificationFailureReason;

  @Field()
  at!: Date;

  @Field(() => PassportBinding, { nullable: true })
  binding?: PassportBinding;

  @Field(() => LoginResult, { nullable: true })
  login?: LoginResult;
}

@ArgsType()
export class SessionArgs {
  @Field(() => ID)
  @MaxLength(64)
  @Matches(/^[0-9a-f-]+$/i, { message: 'sessionId is not a session id' })
  sessionId!: string;

  @Field()
  @MaxLength(128)
  sessionToken!: string;
}
