import { IsNotEmpty, Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, ObjectType } from 'type-graphql';
import { DirectoryAccount } from './directory-account.type';
import { MAX_USERNAME_LENGTH } from '../services/directory.service';

@ArgsType()
export class SignInArgs {
  @Field({ description: 'sAMAccountName' })
  @IsNotEmpty()
  @MaxLength(MAX_USERNAME_LENGTH)
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'username must not contain control characters' })
  username!: string;

  @Field()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;
}

@ObjectType()
export class SignInResult {
  @Field({ description: 'Send as "Authorization: Bearer <token>" or graphql-ws connectionParams' })
  accessToken!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => DirectoryAccount)
  account!: DirectoryAccount;
}
