import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ErrorInfoModel } from '../../graphql/error-info.model.js';

@ObjectType('MeshVersion', { description: 'A version of a mesh its plugin can install.' })
export class MeshVersionModel {
  @Field() version!: string;
  @Field({ description: 'Installed when no version is named.' }) default!: boolean;
}

@ObjectType('SampleApp', { description: 'A sample application a mesh plugin can deploy.' })
export class SampleAppModel {
  @Field() name!: string;
  @Field() displayName!: string;
  @Field() description!: string;
}

@ObjectType('Mesh', { description: 'A service mesh a loaded plugin manages.' })
export class MeshModel {
  @Field({ description: 'Mesh id, e.g. istio, linkerd.' }) mesh!: string;
  @Field() displayName!: string;
  @Field() pluginId!: string;
  @Field(() => [String], { description: 'install, uninstall, status, sample-apps, injection' }) operations!: string[];
  @Field(() => [MeshVersionModel]) versions!: MeshVersionModel[];
  @Field({ nullable: true }) defaultVersion?: string;
  @Field(() => [SampleAppModel]) sampleApps!: SampleAppModel[];
}

@ObjectType('MeshHealthCheck', { description: 'One check of a mesh’s health.' })
export class MeshHealthCheckModel {
  @Field() component!: string;
  @Field() healthy!: boolean;
  @Field() message!: string;
  @Field({ nullable: true }) remediation?: string;
}

@ObjectType('DeployedSampleApp', { description: 'A sample app a mesh plugin deployed.' })
export class DeployedSampleAppModel {
  @Field() app!: string;
  @Field() namespace!: string;
  @Field({ description: 'False while its deployment is under way or was cut short (deploy again to finish it).' }) ready!: boolean;
}

@ObjectType('MeshStatus', { description: 'What a mesh’s checks found on a cluster.' })
export class MeshStatusModel {
  @Field(() => ID) contextId!: string;
  @Field() mesh!: string;
  @Field({ description: 'The control plane is in the cluster, whoever installed it.' }) installed!: boolean;
  @Field({ nullable: true, description: 'The control plane’s version, read from the cluster.' }) version?: string;
  @Field({ nullable: true }) namespace?: string;
  @Field({ nullable: true, description: 'Installed by this Meshery (so uninstallMesh can remove it).' }) managedByMeshery?: boolean;
  @Field() healthy!: boolean;
  @Field(() => [MeshHealthCheckModel]) checks!: MeshHealthCheckModel[];
  @Field(() => [String], { description: 'Namespaces whose new pods get this mesh’s sidecar.' }) injectionNamespaces!: string[];
  @Field(() => [DeployedSampleAppModel], { description: 'Sample apps Meshery deployed with this mesh’s plugin.' })
  sampleApps!: DeployedSampleAppModel[];
  @Field({ description: 'ISO-8601 UTC' }) checkedAt!: string;
  @Field(() => ErrorInfoModel, { nullable: true, description: 'Why the checks could not run (e.g. the cluster is unreachable).' })
  error?: ErrorInfoModel;
}

@InputType('InstallMeshInput')
export class InstallMeshInput {
  @Field(() => ID, { description: 'A cluster connection.' }) contextId!: string;
  @Field({ description: 'Mesh id (meshes query).' }) mesh!: string;
  @Field({ nullable: true, description: 'The plugin’s default when absent.' }) version?: string;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Mesh-specific options (see the plugin’s README).' })
  options?: Record<string, unknown>;
}

@InputType('SampleAppInput')
export class SampleAppInput {
  @Field(() => ID) contextId!: string;
  @Field() mesh!: string;
  @Field({ description: 'Sample app name (meshes { sampleApps }).' }) app!: string;
  @Field() namespace!: string;
}
