import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

/** Where a plugin stands. */
export enum PluginStatusModel {
  LOADED = 'loaded',
  FAILED = 'failed',
  INCOMPATIBLE = 'incompatible',
}
registerEnumType(PluginStatusModel, {
  name: 'PluginStatus',
  description: 'LOADED: running. FAILED: could not start (see reason). INCOMPATIBLE: skipped before running any of its code (see reason).',
});

@ObjectType('PluginCapabilities', { description: 'Capability names a plugin declares for one kind.' })
export class PluginCapabilitiesModel {
  @Field()
  kind!: string;

  @Field(() => [String])
  names!: string[];
}

@ObjectType('Plugin', { description: 'A discovered plugin, loaded or not.' })
export class PluginModel {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true })
  packageName?: string;

  @Field({ nullable: true })
  version?: string;

  @Field({ nullable: true })
  displayName?: string;

  @Field({ nullable: true })
  description?: string;

  @Field(() => [String])
  kinds!: string[];

  @Field(() => [PluginCapabilitiesModel])
  capabilities!: PluginCapabilitiesModel[];

  @Field({ nullable: true, description: 'in-process or worker' })
  runtime?: string;

  @Field({ description: 'Directory the plugin was found in.' })
  path!: string;

  @Field(() => PluginStatusModel)
  status!: PluginStatusModel;

  @Field({ nullable: true, description: 'Why the plugin is not loaded, and what to do.' })
  reason?: string;
}
