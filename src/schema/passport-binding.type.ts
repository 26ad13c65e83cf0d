import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PassportBindingStatus } from './enums';

@ObjectType({ description: 'NSIS evidence of one verification attempt or revocation' })
export class AssuranceRecord {
  @Field(() => ID)
  id!: string;

  @Field()
  at!: Date;

  @Field({ description: 'REGISTRATION, LOGIN or REVOCATION' })
  purpose!: string;

  @Field({ description: 'VERIFIED, REJECTED, FAILED, EXPIRED, CANCELLED or REVOKED' })
  outcome!: string;

  @Field(() => String, { nullable: true })
  reason?: string;

  @Field(() => String, { nullable: true, description: 'Substantial when verified' })
  level?: string;

  @Field()
  method!: string;

  @Field(() => String, { nullable: true })
  username?: string;

  @Field(() => String, { nullable: true })
  brokerTransactionId?: string;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the broker ID token' })
  idTokenHash?: string;

  @Field(() => Int, { nullable: true })
  facematchLevel?: number;

  @Field(() => String, { nullable: true, description: 'yyyy-MM-dd' })
  documentExpiry?: string;

  @Field(() => String, { nullable: true })
  clientIp?: string;

  @Field(() => String, { nullable: true, description: 'Who revoked, for revocations' })
  actor?: string;
}

@ObjectType({
  description: 'A passport bound to an AD account; never shows the full document number',
})
export class PassportBinding {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'objectGUID of the account' })
  accountId!: string;

  @Field({ description: 'sAMAccountName when the passport was bound' })
  username!: string;

  @Field(() => PassportBindingStatus)
  status!: keyof typeof PassportBindingStatus;

  @Field({ description: 'P passport, I identity card, …' })
  documentType!: string;

  @Field({ description: 'ICAO three-letter code' })
  issuingCountry!: string;

  @Field({ description: 'ICAO three-letter code' })
  nationality!: string;

  @Field({ description: 'Only the last characters, e.g. ******567' })
  maskedDocumentNumber!: string;

  @Field({ description: 'yyyy-MM-dd' })
  documentExpiry!: string;

  @Field()
  holderName!: string;

  @Field()
  verifiedAt!: Date;

  @Field(() => Date, { nullable: true })
  replacedAt?: Date;

  @Field(() => Date, { nullable: true })
  revokedAt?: Date;

  @Field(() => String, { nullable: true })
  revokedBy?: string;

  @Field(() => String, { nullable: true })
  revocationReason?: string;
}
