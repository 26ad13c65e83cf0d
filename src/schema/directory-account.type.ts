import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An Active Directory user account' })
export class DirectoryAccount {
  @Field(() => ID, { description: 'objectGUID: the stable account id' })
  id!: string;

  @Field({ description: 'sAMAccountName' })
  username!: string;

  @Field()
  displayName!: string;

  @Field(() => String, { nullable: true })
  userPrincipalName?: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field({ description: 'False when AD has the account disabled' })
  enabled!: boolean;

  @Field({ description: 'True when the account is a member of the admin group' })
  isAdmin!: boolean;
}
