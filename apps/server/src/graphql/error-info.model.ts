import { Field, ObjectType } from '@nestjs/graphql';

/** Why something failed and what to do, with a stable code. */
@ObjectType('ErrorInfo', { description: 'Why something failed and what to do.' })
export class ErrorInfoModel {
  @Field() code!: string;
  @Field() message!: string;
  @Field({ nullable: true }) probableCause?: string;
  @Field({ nullable: true }) remediation?: string;
}
