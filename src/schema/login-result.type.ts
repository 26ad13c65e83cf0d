import { Field, ObjectType } from 'type-graphql';
import { DirectoryAccount } from './directory-account.type';

@ObjectType({ description: 'A verified passport login, for the holder of the session token' })
export class LoginResult {
  @Field(() => DirectoryAccount)
  account!: DirectoryAccount;

  @Field({ description: 'Substantial' })
  assuranceLevel!: string;

  @Field({
    description:
      'A JWT for the ID portal (key at /.well-known/jwks.json): sub = objectGUID, loa, amr, auth_time',
  })
  assertion!: string;

  @Field({ description: 'After this the assertion is no longer valid nor shown' })
  expiresAt!: Date;
}
