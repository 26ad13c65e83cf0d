import { IsOptional, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { MAX_USERNAME_LENGTH } from '../services/directory.service';
import { PassportBindingStatus } from './enums';
import { AssuranceRecord, PassportBinding } from './passport-binding.type';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' })
  endCursor?: string | null;
}

@ObjectType()
export class PassportBindingEdge {
  @Field()
  cursor!: string;

  @Field(() => PassportBinding)
  node!: PassportBinding;
}

@ObjectType({ description: 'Bindings, newest verification first' })
export class PassportBindingConnection {
  @Field(() => [PassportBindingEdge])
  edges!: PassportBindingEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'All bindings that match the filter' })
  totalCount!: number;
}

@ObjectType()
export class AssuranceRecordEdge {
  @Field()
  cursor!: string;

  @Field(() => AssuranceRecord)
  node!: AssuranceRecord;
}

@ObjectType({ description: 'Assurance records, newest first' })
export class AssuranceRecordConnection {
  @Field(() => [AssuranceRecordEdge])
  edges!: AssuranceRecordEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@InputType({ description: 'Every field narrows the list; leave out what does not matter' })
export class PassportBindingFilter {
  @Field(() => PassportBindingStatus, { nullable: true })
  status?: keyof typeof PassportBindingStatus;

  @Field(() => String, { nullable: true, description: 'Case-insensitive start of the username' })
  @IsOptional()
  @MaxLength(MAX_USERNAME_LENGTH)
  usernamePrefix?: string;

  @Field(() => String, { nullable: true, description: 'ICAO three-letter code' })
  @IsOptional()
  @Matches(/^[A-Za-z<]{3}$/, { message: 'issuingCountry must be an ICAO three-letter code' })
  issuingCountry?: string;

  @Field(() => Date, { nullable: true, description: 'Verified at or after' })
  verifiedAfter?: Date;

  @Field(() => Date, { nullable: true, description: 'Verified before' })
  verifiedBefore?: Date;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: '1 to 100; 20 when left out' })
  first?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  after?: string;
}

@ArgsType()
export class PassportBindingsArgs extends PageArgs {
  @Field(() => PassportBindingFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: PassportBindingFilter;
}

@ArgsType()
export class AssuranceRecordsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only this sAMAccountName' })
  @IsOptional()
  @MaxLength(MAX_USERNAME_LENGTH)
  username?: string;
}

@ArgsType()
export class UsernameArgs {
  @Field({ description: 'sAMAccountName' })
  @MinLength(1)
  @MaxLength(MAX_USERNAME_LENGTH)
  username!: string;
}

@ArgsType()
export class RevokeArgs extends UsernameArgs {
  @Field({ description: 'Why, for the audit trail' })
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}
