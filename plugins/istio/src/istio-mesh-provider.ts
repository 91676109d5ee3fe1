import {
  PluginError,
  PluginTokens,
  type ArtifactService,
  type Clock,
  type ClusterTarget,
  type DeployedSampleApp,
  type KubernetesService,
  type MeshDescriptor,
  type MeshInstallRequest,
  type MeshOperationEvent,
  type MeshProvider,
  type MeshStatus,
  type MeshVersionInfo,
  type NamespacedRequest,
  type OperationContext,
  type PluginConfig,
  type PluginStore,
  type SampleAppInfo,
} from '@meshery/plugin-api';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { inject, injectable } from 'tsyringe';
import { parseInstallOptions, setArguments } from './install-options.js';
import { findControlPlanes, isOurs, istioStatus, type ControlPlane } from './istio-health.js';
import { findPreexistingCrds, istiodOwnedFieldsToLeaveOut } from './istio-cluster-state.js';
import { editManifest, namespaceDocument, sampleManifestFor, summarizeManifest, withNamespace } from './istio-manifest.js';
import {
  installKey,
  sampleAppKey,
  sampleAppsInNamespacePrefix,
  sampleNamespaceKey,
  type InstallRecord,
  type SampleAppRecord,
  type SampleNamespaceRecord,
} from './istio-records.js';
import { archiveRequest, istioPlatformOf, knownVersions, pinnedChecksum, releaseArchive, resolveVersion, DEFAULT_ISTIO_VERSION } from './istio-releases.js';
import { readIstioSettings, type IstioSettings } from './istio-settings.js';
import { cancelled, Istioctl, type CliRunOptions } from './istioctl.js';
import { checkNamespaceName, ISTIO_SAMPLE_APPS, sampleApp } from './sample-apps.js';
import { namespaceContents } from './sample-namespace.js';

/** What this plugin manages. */
export const istioDescriptor: MeshDescriptor = Object.freeze({
  mesh: 'istio',
  displayName: 'Istio',
  operations: Object.freeze(['install', 'uninstall', 'status', 'sample-apps', 'injection'] as const),
});

/** The namespace the control plane is installed into. */
export const ISTIO_NAMESPACE = 'istio-system';

/** The label that turns sidecar injection on for a namespace (default revision). */
export const INJECTION_LABEL = 'istio-injection';
/** The label that selects a control-plane revision for injection. */
export const REVISION_LABEL = 'istio.io/rev';
/** The ConfigMap istiod writes into every namespace with its root certificate. */
export const CA_ROOT_CERT_CONFIGMAP = 'istio-ca-root-cert';
/** The Secret istiod creates for its self-signed CA. */
export const CA_SECRET = 'istio-ca-secret';

type Ctx = OperationContext<MeshOperationEvent>;

interface NamespaceObject {
  readonly metadata?: { readonly name?: string; readonly labels?: Readonly<Record<string, string>> };
}

function step(ctx: Ctx, summary: string, details?: Readonly<Record<string, unknown>>): void {
  ctx.emit({ type: 'step', summary, ...(details ? { details } : {}) });
}

function throwIfCancelled(ctx: Ctx): void {
  if (ctx.signal.aborted) throw cancelled();
}

async function isDirectory(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Istio's lifecycle: installs the default profile of a pinned release (rendered by that release's
 * istioctl, applied by the host's engine into one inventory), removes it, checks its health,
 * deploys the release's sample apps and turns sidecar injection on and off.
 */
@injectable()
export class IstioMeshProvider implements MeshProvider {
  readonly descriptor = istioDescriptor;
  private readonly settings: IstioSettings;

  constructor(
    @inject(PluginTokens.kubernetes) private readonly kube: KubernetesService,
    @inject(PluginTokens.artifacts) private readonly artifacts: ArtifactService,
    @inject(PluginTokens.store) private readonly store: PluginStore,
    @inject(PluginTokens.config) config: PluginConfig,
    @inject(PluginTokens.clock) private readonly clock: Clock,
  ) {
    this.settings = readIstioSettings(config);
  }

  async listVersions(): Promise<readonly MeshVersionInfo[]> {
    return knownVersions(this.settings.versions);
  }

  async sampleApps(): Promise<readonly SampleAppInfo[]> {
    return ISTIO_SAMPLE_APPS.map(({ name, displayName, description }) => ({ name, displayName, description }));
  }

  async install(request: MeshInstallRequest, ctx: Ctx): Promise<void> {
    const version = resolveVersion(request.version, this.settings.versions);
    const options = parseInstallOptions(request.options);
    const { contextId } = request;
    const namespace = ISTIO_NAMESPACE;

    step(ctx, 'Looking for Istio control planes in the cluster (Deployments labelled app=istiod)');
    const planes = await findControlPlanes(this.kube, contextId);
    const record = await this.store.get<InstallRecord>(installKey(contextId));
    if (record && record.version !== version) {
      throw new PluginError('PRECONDITION_FAILED', `Istio ${record.version} is installed by Meshery on this cluster; installing ${version} over it is not supported`, {
        probableCause: 'Upgrades and downgrades are not supported yet.',
        remediation: `Uninstall Istio ${record.version} first, then install ${version}.`,
      });
    }
    const foreign = planes.filter((plane) => !isOurs(plane, record));
    if (foreign.length > 0) throw this.foreignInstallation(foreign[0]!, record);
    const converging = record !== undefined;
    if (converging) {
      step(ctx, `Istio ${version} was ${record.state === 'installed' ? 'installed' : 'being installed'} by Meshery: converging the cluster to it (inventory ${record.inventoryId})`);
    }

    const istioctl = await this.istioctlFor(version, ctx);
    step(ctx, `Rendering the default profile with istioctl ${version} (istioctl manifest generate --set profile=default${setArguments(options).length > 0 ? ' with the "set" options' : ''})`);
    const generated = await istioctl.generateManifest(setArguments(options), this.cliOptions(ctx));
    throwIfCancelled(ctx);

    const namespaceCreated = record ? record.namespaceCreated : (await this.kube.get(contextId, { apiVersion: 'v1', kind: 'Namespace', name: namespace })) === null;
    let manifest = namespaceCreated ? withNamespace(generated, namespace) : generated;

    // Istio CRDs someone else left in the cluster (helm uninstall keeps them on purpose) are not
    // taken over: uninstall would delete them with every VirtualService etc. of the cluster.
    const preexisting = await findPreexistingCrds(this.kube, contextId, manifest, version, record ? (record.preexistingCrds ?? []) : undefined);
    if (preexisting.vanished.length > 0) {
      step(ctx, `The Istio CRDs ${preexisting.vanished.join(', ')} were in the cluster before Meshery's install but are gone now: they are installed with Istio ${version} and removed by its uninstall`);
    }
    if (preexisting.names.length > 0) {
      step(
        ctx,
        `Leaving out ${preexisting.names.length} Istio CRD${preexisting.names.length === 1 ? '' : 's'} that ${preexisting.names.length === 1 ? 'was' : 'were'} in the cluster before Meshery's install and ${preexisting.names.length === 1 ? 'serves' : 'serve'} the versions Istio ${version} needs: ${preexisting.names.join(', ')}. Meshery does not change or delete ${preexisting.names.length === 1 ? 'it' : 'them'}; uninstall leaves ${preexisting.names.length === 1 ? 'it' : 'them'} in place.`,
      );
    }
    const leftOut = new Set(preexisting.names);
    // Fields istiod took over at run time (its CA, validation's failurePolicy) are not applied again:
    // without force they would conflict with istiod's field manager, with force undo its work.
    const istiodFields = await istiodOwnedFieldsToLeaveOut(this.kube, contextId, manifest);
    if (istiodFields.length > 0) {
      step(
        ctx,
        `Leaving fields istiod set at run time as they are: ${istiodFields.map((f) => `${f.field} of webhook ${f.webhook} in ${f.kind} ${f.name}${f.field === 'failurePolicy' ? ` (${String(f.live)})` : ''}`).join('; ')}`,
      );
    }
    manifest = editManifest(manifest, 'The generated manifest', (object) => {
      const metadata = (object['metadata'] ?? {}) as { name?: string };
      if (object['kind'] === 'CustomResourceDefinition' && leftOut.has(String(metadata.name))) return { drop: true };
      const fields = istiodFields.filter((f) => f.kind === object['kind'] && f.name === metadata.name);
      return fields.length > 0 ? { remove: fields.map((f) => f.path) } : undefined;
    });
    const summary = summarizeManifest(manifest);
    step(ctx, `The manifest holds ${summary.objects.length} objects: ${summary.crds} CRDs, Deployments ${summary.deployments.join(', ')}${namespaceCreated ? `, and Namespace ${namespace}` : ` (namespace ${namespace} exists already and is left out of the installation)`}`);

    const inventoryId = record?.inventoryId ?? randomUUID();
    const installRecord = (state: InstallRecord['state']): InstallRecord => ({
      version,
      inventoryId,
      namespace,
      namespaceCreated,
      installedAt: record?.installedAt ?? this.now(),
      state,
      preexistingCrds: preexisting.names,
    });
    await this.store.set(installKey(contextId), installRecord('installing'));

    const timeoutSeconds = options.readinessTimeoutSeconds ?? this.settings.readinessTimeoutSeconds;
    step(ctx, `Applying Istio ${version} into ${namespace} and waiting up to ${timeoutSeconds} s for istiod and istio-ingressgateway to be ready`);
    // Never forced: fields another manager (istiod, a person with kubectl) owns fail the apply with
    // PRECONDITION_FAILED naming them instead of being silently taken over.
    const applied = await this.kube.apply({ contextId, manifest, namespace, inventoryId, wait: true, timeoutSeconds }, ctx);
    await this.store.set(installKey(contextId), installRecord('installed'));
    const changed = applied.objects.filter((o) => o.result !== 'unchanged').length;
    step(ctx, `Istio ${version} is installed in ${namespace} (${applied.objects.length} objects, ${changed} created or changed). istiod injects its CA into the sidecar injector webhook when it starts; status shows when it has.`);
  }

  async uninstall(request: ClusterTarget, ctx: Ctx): Promise<void> {
    const { contextId } = request;
    const record = await this.store.get<InstallRecord>(installKey(contextId));
    if (!record) {
      const planes = await findControlPlanes(this.kube, contextId);
      const found = planes[0];
      throw new PluginError(
        'PRECONDITION_FAILED',
        found
          ? `Istio was not installed by Meshery on this cluster: the Istio ${found.version ?? '(unknown version)'} control plane in namespace ${found.namespace} was installed by someone else, so Meshery does not remove it`
          : 'Istio is not installed by Meshery on this cluster; there is nothing to uninstall',
        found
          ? {
              probableCause: 'It was installed with istioctl, Helm or another tool, or by another Meshery server.',
              remediation: `Remove it with the tool that installed it, e.g. istioctl uninstall --purge -y (or helm uninstall), then kubectl delete namespace ${found.namespace}.`,
            }
          : { probableCause: 'Nothing was installed, or it was already uninstalled.', remediation: 'Check with the status operation.' },
      );
    }
    step(ctx, `Removing Istio ${record.version}: every object of its inventory (${record.inventoryId}), CRDs, cluster RBAC and webhooks included`);
    await this.kube.removeInventory({ contextId, inventoryId: record.inventoryId }, ctx);

    // Only once istiod is gone: while it runs it writes these again.
    const leftovers = (await this.kube.list(contextId, { apiVersion: 'v1', kind: 'ConfigMap', labelSelector: 'istio.io/config=true' }))
      .map((object) => (object as { metadata?: { name?: string; namespace?: string } }).metadata ?? {})
      .filter((metadata) => metadata.name === CA_ROOT_CERT_CONFIGMAP && metadata.namespace);
    step(ctx, `Deleting what istiod created at run time: ${leftovers.length} ${CA_ROOT_CERT_CONFIGMAP} ConfigMap${leftovers.length === 1 ? '' : 's'}${record.namespaceCreated ? '' : ` and Secret ${record.namespace}/${CA_SECRET}`}`);
    for (const metadata of leftovers) {
      throwIfCancelled(ctx);
      await this.kube.delete(contextId, { apiVersion: 'v1', kind: 'ConfigMap', name: CA_ROOT_CERT_CONFIGMAP, namespace: metadata.namespace! }, ctx);
    }
    if (!record.namespaceCreated) {
      // The namespace was the user's, so it stays; the CA istiod generated in it goes.
      await this.kube.delete(contextId, { apiVersion: 'v1', kind: 'Secret', name: CA_SECRET, namespace: record.namespace }, ctx);
    }
    await this.store.delete(installKey(contextId));
    const samples = await this.store.keys(`sample/${contextId}/`);
    const kept = record.preexistingCrds ?? [];
    step(
      ctx,
      `Istio ${record.version} is uninstalled${kept.length > 0 ? `; the Istio CRDs that were in the cluster before it (${kept.join(', ')}) are left in place` : ''}${samples.length > 0 ? `; ${samples.length} sample app deployment${samples.length === 1 ? ' is' : 's are'} still there (${samples.map((key) => key.split('/').slice(2).join('/')).join(', ')}): remove them with the sample-apps operation` : ''}`,
    );
  }

  async status(request: ClusterTarget, _ctx: Ctx): Promise<MeshStatus> {
    const record = await this.store.get<InstallRecord>(installKey(request.contextId));
    // The CRDs the installation needs: those it applied (its inventory) and those it found in place.
    const expectedCrds = record
      ? [...(await this.kube.inventory(record.inventoryId)).filter((ref) => ref.kind === 'CustomResourceDefinition').map((ref) => ref.name), ...(record.preexistingCrds ?? [])]
      : [];
    const [status, injectionNamespaces, sampleApps] = await Promise.all([
      istioStatus(this.kube, request.contextId, record, expectedCrds),
      this.kube.list(request.contextId, { apiVersion: 'v1', kind: 'Namespace', labelSelector: `${INJECTION_LABEL}=enabled` }),
      this.deployedSampleApps(request.contextId),
    ]);
    return {
      ...status,
      injectionNamespaces: injectionNamespaces.map((ns) => (ns as NamespaceObject).metadata?.name ?? '').filter(Boolean).sort(),
      sampleApps,
    };
  }

  private async deployedSampleApps(contextId: string): Promise<DeployedSampleApp[]> {
    const records = await Promise.all(
      (await this.store.keys(`sample/${contextId}/`)).map((key) => this.store.get<SampleAppRecord>(key)),
    );
    return records
      .filter((record): record is SampleAppRecord => record !== undefined)
      .map((record) => ({ app: record.app, namespace: record.namespace, ready: record.state === 'deployed' }));
  }

  async deploySampleApp(request: NamespacedRequest & { readonly app: string }, ctx: Ctx): Promise<void> {
    const app = sampleApp(request.app);
    const namespace = checkNamespaceName(request.namespace);
    const { contextId } = request;
    const mesh = await this.meshForSamples(contextId);
    const existing = await this.kube.get(contextId, { apiVersion: 'v1', kind: 'Namespace', name: namespace });
    if (!mesh.installed) {
      step(ctx, `Istio is not installed on this cluster: ${app.name} runs without sidecars. Sidecars are only injected when Istio is installed and injection is on for namespace ${namespace} (then restart its pods).`);
    } else if (!this.injectionOn(existing as NamespaceObject | null)) {
      step(ctx, `Sidecar injection is off for namespace ${namespace}: ${app.name} runs without sidecars. Sidecars are only injected when injection is on (turn it on, then kubectl rollout restart deployment -n ${namespace}).`);
    } else {
      step(ctx, `Sidecar injection is on for namespace ${namespace}: ${app.name}'s pods get Istio sidecars.`);
    }

    const root = await this.releaseDirectory(mesh.version, ctx, 'samples');
    const file = path.join(root, app.manifestPath);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new PluginError('PRECONDITION_FAILED', `The Istio ${mesh.version} release archive has no ${app.manifestPath}`, {
        probableCause: 'The archive in the mirror is incomplete or not an official Istio release.',
        remediation: 'Replace it in the mirror with the official archive (see the plugin README for the exact files).',
      });
    }
    const manifest = sampleManifestFor(text, namespace, `${app.manifestPath} of Istio ${mesh.version}`);
    throwIfCancelled(ctx);

    const namespaceKey = sampleNamespaceKey(contextId, namespace);
    const namespaceRecord = await this.store.get<SampleNamespaceRecord>(namespaceKey);
    if (!existing) {
      const record: SampleNamespaceRecord = namespaceRecord ?? { namespace, inventoryId: randomUUID(), createdAt: this.now() };
      await this.store.set(namespaceKey, record);
      step(ctx, `Creating namespace ${namespace} for the sample apps (it is deleted with the last of them)`);
      await this.kube.apply({ contextId, manifest: namespaceDocument(namespace), inventoryId: record.inventoryId, force: true }, ctx);
    }

    const key = sampleAppKey(contextId, namespace, app.name);
    const previous = await this.store.get<SampleAppRecord>(key);
    const inventoryId = previous?.inventoryId ?? randomUUID();
    await this.store.set(key, { app: app.name, namespace, version: mesh.version, inventoryId, deployedAt: previous?.deployedAt ?? this.now(), state: 'deploying' } satisfies SampleAppRecord);
    const timeoutSeconds = this.settings.readinessTimeoutSeconds;
    step(ctx, `Deploying ${app.displayName} from Istio ${mesh.version}'s ${app.manifestPath} into ${namespace}`);
    const applied = await this.kube.apply({ contextId, manifest, namespace, inventoryId, force: previous !== undefined, wait: true, timeoutSeconds }, ctx);
    await this.store.set(key, { app: app.name, namespace, version: mesh.version, inventoryId, deployedAt: previous?.deployedAt ?? this.now(), state: 'deployed' } satisfies SampleAppRecord);
    const deployments = applied.objects.filter((o) => o.kind === 'Deployment').map((o) => o.name);
    step(ctx, `${app.displayName} is deployed in ${namespace}: ${applied.objects.length} objects, Deployments ${deployments.join(', ')} ready`);
  }

  async removeSampleApp(request: NamespacedRequest & { readonly app: string }, ctx: Ctx): Promise<void> {
    const app = sampleApp(request.app);
    const namespace = checkNamespaceName(request.namespace);
    const { contextId } = request;
    const key = sampleAppKey(contextId, namespace, app.name);
    const record = await this.store.get<SampleAppRecord>(key);
    if (!record) {
      const elsewhere = (await this.store.keys(`sample/${contextId}/`)).filter((k) => k.endsWith(`/${app.name}`)).map((k) => k.split('/')[2]);
      throw new PluginError('PRECONDITION_FAILED', `${app.displayName} is not deployed by Meshery in namespace ${namespace}`, {
        probableCause: elsewhere.length > 0 ? `It is deployed in namespace ${elsewhere.join(', ')}.` : 'It was never deployed there, or it was already removed.',
        remediation: elsewhere.length > 0 ? `Remove it from namespace ${elsewhere.join(', ')}.` : 'Nothing to do; objects created by hand are removed with kubectl.',
      });
    }
    step(ctx, `Removing ${app.displayName} from ${namespace} (inventory ${record.inventoryId})`);
    await this.kube.removeInventory({ contextId, inventoryId: record.inventoryId }, ctx);
    await this.store.delete(key);

    const namespaceKey = sampleNamespaceKey(contextId, namespace);
    const namespaceRecord = await this.store.get<SampleNamespaceRecord>(namespaceKey);
    const remaining = await this.store.keys(sampleAppsInNamespacePrefix(contextId, namespace));
    if (namespaceRecord && remaining.length === 0) {
      const others = await namespaceContents(this.kube, contextId, namespace);
      if (others.length > 0) {
        // Its record stays: removing the last sample app from it later deletes it once it is empty.
        step(
          ctx,
          `Keeping namespace ${namespace}: Meshery created it for the sample apps, but it also holds what is not Meshery's Istio sample apps (${others.slice(0, 10).join(', ')}${others.length > 10 ? `, and ${others.length - 10} more` : ''}). Delete it yourself once nothing in it is needed: kubectl delete namespace ${namespace}`,
        );
      } else {
        step(ctx, `Deleting namespace ${namespace}: Meshery created it for the sample apps and nothing else is left in it`);
        await this.kube.removeInventory({ contextId, inventoryId: namespaceRecord.inventoryId }, ctx);
        await this.store.delete(namespaceKey);
      }
    }
    step(ctx, `${app.displayName} is removed from ${namespace}`);
  }

  async setInjection(request: NamespacedRequest & { readonly enabled: boolean }, ctx: Ctx): Promise<void> {
    const namespace = checkNamespaceName(request.namespace);
    const { contextId, enabled } = request;
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
    const current = (await this.kube.get(contextId, ref)) as NamespaceObject | null;
    if (!current) {
      throw new PluginError('PRECONDITION_FAILED', `Namespace ${namespace} does not exist`, {
        probableCause: 'The namespace was never created, or it was deleted.',
        remediation: `Create it first (kubectl create namespace ${namespace}) or deploy a sample app into it.`,
      });
    }
    const labels = current.metadata?.labels ?? {};
    const revision = labels[REVISION_LABEL];
    const had = labels[INJECTION_LABEL];
    await this.kube.patch(contextId, ref, { metadata: { labels: { [INJECTION_LABEL]: enabled ? 'enabled' : null } } });
    if (enabled) {
      step(ctx, `Sidecar injection is on for namespace ${namespace} (label ${INJECTION_LABEL}=enabled${had && had !== 'enabled' ? `, was ${had}` : ''})`);
    } else {
      step(ctx, had ? `Sidecar injection is off for namespace ${namespace} (label ${INJECTION_LABEL} removed)` : `Namespace ${namespace} had no ${INJECTION_LABEL} label: nothing to remove`);
    }
    if (revision) {
      step(
        ctx,
        enabled
          ? `Namespace ${namespace} also carries ${REVISION_LABEL}=${revision}: while both labels are there, ${INJECTION_LABEL} takes precedence and pods are injected by the default revision`
          : `Namespace ${namespace} still carries ${REVISION_LABEL}=${revision}, which takes precedence now that ${INJECTION_LABEL} is gone: pods are still injected by revision ${revision}. Remove it too to turn injection off (kubectl label namespace ${namespace} ${REVISION_LABEL}-)`,
      );
    }
    if (enabled && (await findControlPlanes(this.kube, contextId)).length === 0) {
      step(ctx, 'Istio is not installed on this cluster: the label takes effect once it is');
    }
    step(ctx, `Pods created before this change keep their ${enabled ? 'lack of sidecars' : 'sidecars'}; restart them to apply it: kubectl rollout restart deployment -n ${namespace}`);
  }

  /** The release whose samples to deploy: the installed one, else the default. */
  private async meshForSamples(contextId: string): Promise<{ readonly version: string; readonly installed: boolean }> {
    const record = await this.store.get<InstallRecord>(installKey(contextId));
    const planes = await findControlPlanes(this.kube, contextId);
    if (record && planes.some((plane) => isOurs(plane, record))) return { version: record.version, installed: true };
    const plane = planes[0];
    if (!plane) return { version: record?.version ?? DEFAULT_ISTIO_VERSION, installed: false };
    const known = knownVersions(this.settings.versions).map((v) => v.version);
    return { version: plane.version && known.includes(plane.version) ? plane.version : DEFAULT_ISTIO_VERSION, installed: true };
  }

  private injectionOn(namespace: NamespaceObject | null): boolean {
    const labels = namespace?.metadata?.labels ?? {};
    if (labels[INJECTION_LABEL] !== undefined) return labels[INJECTION_LABEL] === 'enabled';
    return labels[REVISION_LABEL] !== undefined;
  }

  private foreignInstallation(plane: ControlPlane, record: InstallRecord | undefined): PluginError {
    const name = plane.deployment.metadata?.name ?? 'istiod';
    const version = plane.version ?? 'of unknown version';
    return new PluginError(
      'PRECONDITION_FAILED',
      `Istio ${version} is already installed in namespace ${plane.namespace} (Deployment ${name}) by someone else${record ? `, besides Meshery's installation in ${record.namespace}` : ''}; nothing was applied`,
      {
        probableCause: plane.labelledByMeshery
          ? 'It carries Meshery’s label but this Meshery server has no record of installing it (another server, or its data was reset).'
          : 'It was installed with istioctl, Helm or another tool.',
        remediation: `Use it as it is (status, sample apps and injection work with it), or remove it with the tool that installed it (e.g. istioctl uninstall --purge -y, then kubectl delete namespace ${plane.namespace}) and install again.`,
      },
    );
  }

  /** The istioctl to render manifests with: the configured cliPath, or the release archive's. */
  private async istioctlFor(version: string, ctx: Ctx): Promise<Istioctl> {
    let istioctl: Istioctl;
    if (this.settings.cliPath) {
      step(ctx, `Using the istioctl configured in cliPath (${this.settings.cliPath})`);
      istioctl = new Istioctl(this.settings.cliPath, false);
    } else {
      const root = await this.releaseDirectory(version, ctx, 'install');
      istioctl = new Istioctl(path.join(root, 'bin', 'istioctl'), true);
    }
    const reported = await istioctl.clientVersion(this.cliOptions(ctx));
    if (reported !== version) {
      throw new PluginError('PRECONDITION_FAILED', `istioctl at ${istioctl.binary} is version ${reported}, not ${version}`, {
        probableCause: this.settings.cliPath ? 'The istioctl in cliPath belongs to another Istio release.' : 'The archive in the mirror is not the release it is named after.',
        remediation: this.settings.cliPath
          ? `Install ${reported} instead, or point cliPath at istioctl ${version} (or unset it to download the release).`
          : 'Replace the archive in the mirror with the official one.',
      });
    }
    step(ctx, `istioctl reports version ${reported}`);
    return istioctl;
  }

  /**
   * The unpacked `istio-<v>/` directory of a release archive, fetched through the host's artifact
   * service (mirror, cache, checksum). Sample manifests are the same in every platform's archive,
   * so a machine Istio publishes no archive for uses the linux-amd64 one for them.
   */
  private async releaseDirectory(version: string, ctx: Ctx, purpose: 'install' | 'samples'): Promise<string> {
    const platform = istioPlatformOf() ?? (purpose === 'samples' ? 'linux-amd64' : undefined);
    if (!platform) {
      throw new PluginError('PRECONDITION_FAILED', `Istio publishes no release archive for ${process.platform}/${process.arch}`, {
        probableCause: 'Istio releases istioctl for Linux (amd64, arm64) and macOS (Intel, Apple silicon) only.',
        remediation: `Build or obtain istioctl ${version} for this machine and set mesh-istio.cliPath to it.`,
      });
    }
    const archive = releaseArchive(version, platform);
    const pinned = pinnedChecksum(this.settings.checksums, archive);
    step(
      ctx,
      `Fetching ${archive.fileName}, verified against ${pinned ? `the SHA-256 pinned in the configuration (checksums: ${pinned.slice(0, 12)}…)` : `${archive.fileName}.sha256 as published`}${this.settings.mirror ? ` (mirror ${this.settings.mirror} first)` : ''}`,
    );
    const fetched = await this.artifacts.fetch(archiveRequest(archive, this.settings.mirror, pinned), ctx);
    throwIfCancelled(ctx);
    for (const candidate of [path.join(fetched.path, archive.directory), fetched.path]) {
      if ((await isDirectory(path.join(candidate, 'bin'))) || (await isDirectory(path.join(candidate, 'samples')))) return candidate;
    }
    throw new PluginError('PRECONDITION_FAILED', `${archive.fileName} does not unpack to ${archive.directory}/ with bin/ and samples/`, {
      probableCause: 'The archive in the mirror is not an official Istio release archive.',
      remediation: 'Replace it with the official archive (see the plugin README for the mirror layout).',
    });
  }

  private cliOptions(ctx: Ctx): CliRunOptions {
    return { timeoutMs: this.settings.cliTimeoutSeconds * 1000, signal: ctx.signal };
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
