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
import { readFile } from 'node:fs/promises';
import { inject, injectable } from 'tsyringe';
import { parse } from 'yaml';
import { prepareCertificates, type CertificateRecord } from './linkerd-certificates.js';
import { LinkerdCli, withPrivateDir, writePrivateFile } from './linkerd-cli.js';
import { checkControlPlane, detectControlPlane, linkerdCrds, type DetectedControlPlane } from './linkerd-health.js';
import { parseInstallOptions } from './linkerd-install-options.js';
import { isLinkerdGroup, joinManifest, renderedObjects, type RenderedObject } from './linkerd-manifests.js';
import { otherObjectsIn } from './linkerd-namespace-contents.js';
import {
  CONTROL_PLANE_NAMESPACE,
  certificatesKey,
  installKey,
  sampleKey,
  sampleNamespaceKey,
  webhookCertificatesKey,
  type InstallRecord,
  type NamespaceMetadata,
  type SampleAppRecord,
  type SampleNamespaceRecord,
} from './linkerd-records.js';
import { checkNamespaceName, findSampleApp, namespaceManifest, retargetManifest, sampleAppArtifact, SAMPLE_APPS } from './linkerd-sample-apps.js';
import { readSettings, type LinkerdSettings } from './linkerd-settings.js';
import { cliArtifact, cliFileName, cliPlatform, knownVersions, resolveVersion } from './linkerd-versions.js';
import { describeWebhooks, expiringWebhooks, extractWebhookTls, webhookValues, withKeptWebhookSecrets, type WebhookTlsRecord } from './linkerd-webhook-tls.js';

/** What this plugin manages. */
export const linkerdDescriptor: MeshDescriptor = Object.freeze({
  mesh: 'linkerd',
  displayName: 'Linkerd',
  operations: Object.freeze(['install', 'uninstall', 'status', 'sample-apps', 'injection'] as const),
});

const INJECT_ANNOTATION = 'linkerd.io/inject';
/**
 * What Linkerd's control plane creates at run time in its namespace that no owner reference ties
 * to the installation: the policy controller's Lease. Deleted on uninstall when the namespace is
 * kept (it was there before); otherwise it goes with the namespace.
 */
const RUNTIME_LEFTOVERS = [{ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'policy-controller-write' }] as const;

type Metadata = { labels?: Record<string, string>; annotations?: Record<string, string> };

/** The labels and annotations of a rendered Namespace (what Linkerd needs on its namespace). */
function namespaceMetadata(object: RenderedObject | undefined): Required<Metadata> {
  const metadata = ((object ? (parse(object.text) as { metadata?: Metadata } | null) : null)?.metadata ?? {}) as Metadata;
  return { labels: { ...(metadata.labels ?? {}) }, annotations: { ...(metadata.annotations ?? {}) } };
}

/** The values `current` has for the keys of `wanted` (`null`: absent), to restore them later. */
function valuesBefore(current: Metadata | undefined, wanted: Required<Metadata>): NamespaceMetadata {
  const pick = (have: Record<string, string> | undefined, keys: Record<string, string>) =>
    Object.fromEntries(Object.keys(keys).map((k) => [k, have?.[k] ?? null]));
  return { labels: pick(current?.labels, wanted.labels), annotations: pick(current?.annotations, wanted.annotations) };
}

type Ctx = OperationContext<MeshOperationEvent>;

function throwIfCancelled(ctx: Ctx): void {
  if (ctx.signal.aborted) {
    throw new PluginError('CANCELLED', 'The operation was cancelled', { remediation: 'Run it again to continue; it converges where it stopped.' });
  }
}

function foreignInstallation(found: DetectedControlPlane, action: 'install' | 'uninstall'): PluginError {
  const what = `Linkerd ${found.version ?? '(version unknown)'} in namespace ${found.namespace}`;
  const how =
    'Remove it the way it was installed: "linkerd uninstall | kubectl delete -f -" for the CLI, or ' +
    `"helm uninstall linkerd-control-plane -n ${found.namespace}" then "helm uninstall linkerd-crds -n ${found.namespace}" for Helm`;
  const unrecorded = found.labelledByMeshery ? ' It carries Meshery\'s managed-by label, but this Meshery server has no record of installing it (another server, or a lost database).' : '';
  return action === 'install'
    ? new PluginError('PRECONDITION_FAILED', `${what} is already installed, and not by this Meshery server (found ${found.evidence}); nothing was applied.${unrecorded}`, {
        probableCause: 'Someone installed Linkerd with its CLI, Helm or another tool.',
        remediation: `Use that installation as it is (status reports its health), or ${how.charAt(0).toLowerCase()}${how.slice(1)}, then install again.`,
      })
    : new PluginError('PRECONDITION_FAILED', `${what} was not installed by this Meshery server (found ${found.evidence}), so Meshery will not remove it.${unrecorded}`, {
        probableCause: 'Someone installed Linkerd with its CLI, Helm or another tool.',
        remediation: `${how}.`,
      });
}

/**
 * Linkerd's mesh lifecycle: renders the CRDs and control plane with the pinned release's CLI (never
 * letting it reach the cluster), applies them through the host's engine into one inventory per
 * cluster, keeps the identity certificates for renewal, checks health like `linkerd check`.
 */
@injectable()
export class LinkerdMeshProvider implements MeshProvider {
  readonly descriptor = linkerdDescriptor;
  private readonly settings: LinkerdSettings;

  constructor(
    @inject(PluginTokens.kubernetes) private readonly kube: KubernetesService,
    @inject(PluginTokens.artifacts) private readonly artifacts: ArtifactService,
    @inject(PluginTokens.store) private readonly store: PluginStore,
    @inject(PluginTokens.clock) private readonly clock: Clock,
    @inject(PluginTokens.config) config: PluginConfig,
  ) {
    this.settings = readSettings(config);
  }

  async listVersions(): Promise<readonly MeshVersionInfo[]> {
    return knownVersions(this.settings.versions);
  }

  async sampleApps(): Promise<readonly SampleAppInfo[]> {
    return SAMPLE_APPS.map(({ name, displayName, description }) => ({ name, displayName, description }));
  }

  async install(request: MeshInstallRequest, ctx: Ctx): Promise<void> {
    const step = (summary: string, details?: Record<string, unknown>) => ctx.emit({ type: 'step', summary, ...(details ? { details } : {}) });
    const options = parseInstallOptions(request.options);
    const version = resolveVersion(request.version, this.settings.versions);
    const { contextId } = request;

    step(`Looking for an existing Linkerd installation in the cluster`);
    const record = await this.store.get<InstallRecord>(installKey(contextId));
    const found = await detectControlPlane(this.kube, contextId);
    if (record) {
      if (record.version !== version) {
        throw new PluginError('PRECONDITION_FAILED', `Linkerd ${record.version} is installed by Meshery on this cluster; installing ${version} over it is not supported`, {
          probableCause: 'Upgrades and downgrades are not supported yet.',
          remediation: `Uninstall Linkerd ${record.version} first, then install ${version}; or install ${record.version} again to repair it.`,
        });
      }
      step(`Linkerd ${version} was installed by Meshery (${record.state}); converging into its inventory ${record.inventoryId}`);
    } else if (found) {
      throw foreignInstallation(found, 'install');
    } else {
      const crds = await linkerdCrds(this.kube, contextId);
      if (crds.length > 0) {
        throw new PluginError('PRECONDITION_FAILED', `Linkerd's CRDs are already in the cluster (${crds.map((c) => String(c['metadata']?.name)).join(', ')}), though no control plane is; nothing was applied`, {
          probableCause: 'Someone installed the CRDs alone ("linkerd install --crds", or the linkerd-crds Helm chart) or an uninstall left them.',
          remediation: 'Remove them the way they were installed ("helm uninstall linkerd-crds -n linkerd", or "linkerd install --crds | kubectl delete -f -"), then install again.',
        });
      }
    }
    throwIfCancelled(ctx);

    const cli = await this.cliFor(version, ctx);
    throwIfCancelled(ctx);

    const now = new Date(this.clock.now());
    const kept = await this.store.get<CertificateRecord>(certificatesKey(contextId));
    const certificates = await prepareCertificates(
      kept,
      options,
      {
        trustAnchorDays: options.trustAnchorValidityDays ?? this.settings.trustAnchorValidityDays,
        issuerDays: options.issuerValidityDays ?? this.settings.issuerValidityDays,
      },
      now,
    );
    step(certificates.summary);
    if (certificates.warning) step(`Warning: ${certificates.warning}`);

    // The webhooks' serving certificates of this installation, given back to the CLI so that a
    // converge renders the same Secrets and CA bundles (no control-plane rollout, no window where
    // the API server's caBundle and the served certificate differ).
    let keptWebhooks = record ? await this.store.get<WebhookTlsRecord>(webhookCertificatesKey(contextId)) : undefined;
    if (keptWebhooks && (keptWebhooks.version !== version || keptWebhooks.webhooks.length === 0)) keptWebhooks = undefined;
    if (keptWebhooks) {
      const expiring = expiringWebhooks(keptWebhooks, now);
      if (expiring.length > 0) {
        step(
          `The webhook serving certificates of this installation expire on ${expiring.map((w) => w.notAfter).join(', ')}: generating new ones; ` +
            'the components serving the webhooks (linkerd-destination, linkerd-proxy-injector) restart with them',
        );
        keptWebhooks = undefined;
      } else {
        step(`Reusing this installation's webhook serving certificates (${describeWebhooks(keptWebhooks)}), so the control plane is not restarted`);
      }
    }

    step(`Rendering Linkerd ${version}'s CRDs and control plane with the linkerd CLI (without cluster access)`);
    const { crds, controlPlane, webhookTls } = await withPrivateDir(async (dir) => {
      const crdsYaml = await cli.run(['install', '--crds', '--ignore-cluster'], dir, ctx);
      const anchors = await writePrivateFile(dir, 'ca.crt', certificates.record.trustAnchorPEM);
      const issuerCrt = await writePrivateFile(dir, 'issuer.crt', certificates.record.issuerCertificatePEM);
      const issuerKey = await writePrivateFile(dir, 'issuer.key', certificates.record.issuerKeyPEM);
      const installArgs = ['install', '--ignore-cluster', '--identity-trust-anchors-file', anchors, '--identity-issuer-certificate-file', issuerCrt, '--identity-issuer-key-file', issuerKey];
      const render = async (extra: readonly string[] = []) => renderedObjects(await cli.run([...installArgs, ...extra], dir, ctx), 'control-plane manifest');
      const crdObjects = renderedObjects(crdsYaml, 'CRD manifest');
      // A first install renders once to get the certificates the CLI generates, then renders with
      // them like every converge does, so that every install applies the very same objects.
      const plain = keptWebhooks ? undefined : await render();
      const tls = keptWebhooks ?? extractWebhookTls(plain!, version);
      if (tls.webhooks.length === 0) return { crds: crdObjects, controlPlane: plain!, webhookTls: undefined };
      const values = await writePrivateFile(dir, 'webhook-tls.yaml', webhookValues(tls));
      const pinned = withKeptWebhookSecrets(await render(['--values', values]), tls);
      if ('objects' in pinned) return { crds: crdObjects, controlPlane: pinned.objects, webhookTls: tls };
      step(`Warning: linkerd ${version} did not take the webhook certificates back (${pinned.problem}); installing with new ones, which restarts the webhooks' components on every install`);
      return { crds: crdObjects, controlPlane: plain ?? (await render()), webhookTls: undefined };
    });
    if (!crds.some((o) => o.kind === 'CustomResourceDefinition') || !controlPlane.some((o) => o.kind === 'Deployment')) {
      throw new PluginError('INTERNAL', `The linkerd CLI printed ${crds.length} CRD objects and ${controlPlane.length} control-plane objects, not an installation`, {
        probableCause: 'The CLI at hand is not a linkerd CLI, or its output changed.',
        remediation: 'Run it by hand ("linkerd install --crds", "linkerd install") and check what it prints.',
      });
    }
    const applicableCrds = await this.withoutForeignCrds(contextId, crds, record, ctx);
    throwIfCancelled(ctx);

    // A control-plane namespace that was there before the first install (the user's, with whatever
    // they keep in it) is not taken into the inventory, so uninstall leaves it; it gets the labels
    // and annotations of Linkerd's Namespace (the control-plane marker, admission webhooks off,
    // privileged pod security for proxy-init), and uninstall gives it back the ones it had.
    const nsRef = { apiVersion: 'v1', kind: 'Namespace', name: CONTROL_PLANE_NAMESPACE } as const;
    const renderedNamespace = controlPlane.find((o) => o.kind === 'Namespace' && o.name === CONTROL_PLANE_NAMESPACE);
    const existingNamespace = record ? undefined : await this.kube.get(contextId, nsRef);
    const namespaceCreated = record ? record.namespaceCreated !== false : !existingNamespace;
    const wantedMetadata = namespaceMetadata(renderedNamespace);
    const namespaceMetadataBefore = namespaceCreated
      ? undefined
      : (record?.namespaceMetadataBefore ?? valuesBefore((existingNamespace as { metadata?: Metadata } | null | undefined)?.metadata, wantedMetadata));
    const applicableControlPlane = namespaceCreated ? controlPlane : controlPlane.filter((o) => o !== renderedNamespace);
    if (!namespaceCreated) {
      step(`Namespace ${CONTROL_PLANE_NAMESPACE} existed before Linkerd was installed: it is left out of the installation (uninstall keeps it and what else is in it) and only gets Linkerd's labels and annotations`);
    }

    const inventoryId = record?.inventoryId ?? randomUUID();
    await this.store.set(certificatesKey(contextId), certificates.record);
    if (webhookTls) await this.store.set(webhookCertificatesKey(contextId), webhookTls);
    else await this.store.delete(webhookCertificatesKey(contextId));
    const installing: InstallRecord = {
      version,
      inventoryId,
      namespace: CONTROL_PLANE_NAMESPACE,
      namespaceCreated,
      ...(namespaceMetadataBefore ? { namespaceMetadataBefore } : {}),
      installedAt: record?.installedAt ?? now.toISOString(),
      state: 'installing',
    };
    await this.store.set(installKey(contextId), installing);
    if (!namespaceCreated) {
      await this.kube.patch(contextId, nsRef, { metadata: wantedMetadata });
    }
    step(`Applying ${applicableCrds.length} CRDs and ${applicableControlPlane.length} control-plane objects of Linkerd ${version} into inventory ${inventoryId}`, {
      inventoryId,
      crds: applicableCrds.length,
      controlPlaneObjects: applicableControlPlane.length,
    });
    await this.kube.apply(
      {
        contextId,
        manifest: joinManifest([...applicableCrds, ...applicableControlPlane]),
        namespace: CONTROL_PLANE_NAMESPACE,
        inventoryId,
        force: Boolean(record),
        timeoutSeconds: this.settings.readinessTimeoutSeconds,
      },
      ctx,
    );
    await this.store.set(installKey(contextId), { ...installing, state: 'installed' } satisfies InstallRecord);
    step(`Linkerd ${version} is installed in namespace ${CONTROL_PLANE_NAMESPACE}; turn on proxy injection for a namespace to mesh its workloads`);
  }

  async uninstall(request: ClusterTarget, ctx: Ctx): Promise<void> {
    const { contextId } = request;
    const record = await this.store.get<InstallRecord>(installKey(contextId));
    if (!record) {
      const found = await detectControlPlane(this.kube, contextId);
      if (found) throw foreignInstallation(found, 'uninstall');
      throw new PluginError('PRECONDITION_FAILED', 'Linkerd is not installed by Meshery on this cluster; there is nothing to uninstall', {
        probableCause: 'It was never installed through Meshery on this cluster connection, or it was already uninstalled.',
        remediation: 'Check the cluster connection; status shows whether any Linkerd control plane is present.',
      });
    }
    const namespaceCreated = record.namespaceCreated !== false;
    ctx.emit({
      type: 'step',
      summary: `Removing Linkerd ${record.version}: every object of inventory ${record.inventoryId} (CRDs, cluster RBAC, webhooks, ${
        namespaceCreated ? `namespace ${record.namespace} with what runs in it` : `the control plane in namespace ${record.namespace}, which existed before and is kept`
      })`,
    });
    await this.kube.removeInventory({ contextId, inventoryId: record.inventoryId }, ctx);
    // Linkerd's control plane creates nothing outside its namespace at run time (only Events, which
    // expire). Inside, its pods, ReplicaSets and heartbeat Jobs go with their owners; the policy
    // controller's Lease goes with the namespace, or is deleted here when the namespace stays.
    if (!namespaceCreated) {
      for (const leftover of RUNTIME_LEFTOVERS) {
        throwIfCancelled(ctx);
        await this.kube.delete(contextId, { ...leftover, namespace: record.namespace }, ctx);
      }
      const before = record.namespaceMetadataBefore;
      if (before) {
        try {
          await this.kube.patch(contextId, { apiVersion: 'v1', kind: 'Namespace', name: record.namespace }, { metadata: { labels: before.labels, annotations: before.annotations } });
          ctx.emit({ type: 'step', summary: `Namespace ${record.namespace} is kept, with the labels and annotations it had before Linkerd was installed` });
        } catch (error) {
          if (!(error instanceof PluginError && error.code === 'PRECONDITION_FAILED')) throw error;
          ctx.emit({ type: 'step', summary: `Namespace ${record.namespace} is already gone` });
        }
      }
    }
    await this.store.delete(installKey(contextId));
    await this.store.delete(certificatesKey(contextId));
    await this.store.delete(webhookCertificatesKey(contextId));
    const annotated = ((await this.kube.list(contextId, { apiVersion: 'v1', kind: 'Namespace' })) as readonly Readonly<Record<string, any>>[])
      .filter((ns) => ns['metadata']?.annotations?.[INJECT_ANNOTATION] === 'enabled')
      .map((ns) => String(ns['metadata']?.name));
    if (annotated.length > 0) {
      ctx.emit({
        type: 'step',
        summary: `Namespaces still annotated ${INJECT_ANNOTATION}=enabled (left as they are; their pods keep a proxy until restarted): ${annotated.join(', ')}`,
      });
    }
    ctx.emit({ type: 'step', summary: `Linkerd ${record.version} is uninstalled and its certificates are forgotten` });
  }

  async status(request: ClusterTarget, ctx: Ctx): Promise<MeshStatus> {
    const [status, namespaces, records] = await Promise.all([
      this.controlPlaneStatus(request, ctx),
      this.kube.list(request.contextId, { apiVersion: 'v1', kind: 'Namespace' }),
      Promise.all((await this.store.keys(`sample/${request.contextId}/`)).map((key) => this.store.get<SampleAppRecord>(key))),
    ]);
    const injectionNamespaces = (namespaces as { metadata?: { name?: string; annotations?: Record<string, string> } }[])
      .filter((ns) => ns.metadata?.annotations?.[INJECT_ANNOTATION] === 'enabled' && ns.metadata.name)
      .map((ns) => ns.metadata!.name!)
      .sort();
    const sampleApps: DeployedSampleApp[] = records
      .filter((record): record is SampleAppRecord => record !== undefined)
      .map((record) => ({ app: record.app, namespace: record.namespace, ready: record.state === 'deployed' }));
    return { ...status, injectionNamespaces, sampleApps };
  }

  private async controlPlaneStatus(request: ClusterTarget, _ctx: Ctx): Promise<MeshStatus> {
    const { contextId } = request;
    const record = await this.store.get<InstallRecord>(installKey(contextId));
    const found = await detectControlPlane(this.kube, contextId);
    if (!found) {
      return {
        installed: false,
        healthy: false,
        checks: [
          record
            ? {
                component: 'control plane',
                healthy: false,
                message: `Meshery installed Linkerd ${record.version} here, but its control plane is not in the cluster`,
                remediation: `Install Linkerd ${record.version} again to restore it, or uninstall to clean up what is left.`,
              }
            : { component: 'control plane', healthy: false, message: 'No Linkerd control plane was found in the cluster', remediation: 'Install Linkerd.' },
        ],
      };
    }
    const ours = Boolean(record) && found.labelledByMeshery && record!.namespace === found.namespace;
    // The CRDs of Meshery's installation are known from its inventory; read by name, never listed.
    const installedCrds = ours ? (await this.kube.inventory(record!.inventoryId)).filter((r) => r.kind === 'CustomResourceDefinition').map((r) => r.name) : [];
    const checks = await checkControlPlane(
      this.kube,
      contextId,
      found,
      new Date(this.clock.now()),
      ours ? record!.version : undefined,
      installedCrds.length > 0 ? installedCrds : undefined,
    );
    if (ours && record!.state === 'installing') {
      checks.unshift({
        component: 'installation',
        healthy: false,
        message: `the install of Linkerd ${record!.version} did not finish`,
        remediation: `Install Linkerd ${record!.version} again: it converges into the same inventory.`,
      });
    }
    return {
      installed: true,
      ...(found.version ? { version: found.version } : {}),
      namespace: found.namespace,
      managedByMeshery: ours,
      healthy: checks.every((check) => check.healthy),
      checks,
    };
  }

  async deploySampleApp(request: NamespacedRequest & { readonly app: string }, ctx: Ctx): Promise<void> {
    const app = findSampleApp(request.app);
    checkNamespaceName(request.namespace);
    const { contextId, namespace } = request;
    const key = sampleKey(contextId, namespace, app.name);
    const existing = await this.store.get<SampleAppRecord>(key);

    ctx.emit({ type: 'step', summary: `Fetching the ${app.displayName} manifest (${app.url})` });
    const fetched = await this.artifacts.fetch(sampleAppArtifact(app, this.settings.sampleAppSha256, this.settings.mirror), ctx);
    const { manifest, objects } = retargetManifest(await readFile(fetched.path, 'utf8'), namespace);
    throwIfCancelled(ctx);

    const current = await this.kube.get(contextId, { apiVersion: 'v1', kind: 'Namespace', name: namespace });
    const inventoryId = existing?.inventoryId ?? randomUUID();
    const deploying: SampleAppRecord = { app: app.name, namespace, inventoryId, deployedAt: new Date(this.clock.now()).toISOString(), state: 'deploying' };
    await this.store.set(key, deploying);

    const nsKey = sampleNamespaceKey(contextId, namespace);
    const ownNamespace = await this.store.get<SampleNamespaceRecord>(nsKey);
    if (!current || ownNamespace) {
      const record: SampleNamespaceRecord = {
        namespace,
        inventoryId: ownNamespace?.inventoryId ?? randomUUID(),
        apps: [...new Set([...(ownNamespace?.apps ?? []), app.name])],
      };
      await this.store.set(nsKey, record);
      if (!current) {
        ctx.emit({ type: 'step', summary: `Creating namespace ${namespace}, which does not exist; it is deleted when the last sample application in it is removed` });
        await this.kube.apply({ contextId, manifest: namespaceManifest(namespace), inventoryId: record.inventoryId, force: true, wait: false }, ctx);
      }
    }

    ctx.emit({ type: 'step', summary: `Applying ${app.displayName} (${objects.length} objects) into namespace ${namespace}`, details: { inventoryId } });
    await this.kube.apply(
      { contextId, manifest, namespace, inventoryId, force: Boolean(existing), timeoutSeconds: this.settings.readinessTimeoutSeconds },
      ctx,
    );
    await this.store.set(key, { ...deploying, state: 'deployed' } satisfies SampleAppRecord);
    const injected = (current as { metadata?: { annotations?: Record<string, string> } } | null)?.metadata?.annotations?.[INJECT_ANNOTATION] === 'enabled';
    ctx.emit({
      type: 'step',
      summary: injected
        ? `${app.displayName} is deployed in namespace ${namespace}, where proxy injection is on`
        : `${app.displayName} is deployed in namespace ${namespace}, without Linkerd proxies: turn on injection for the namespace, then restart its deployments (kubectl rollout restart deployment -n ${namespace})`,
    });
  }

  async removeSampleApp(request: NamespacedRequest & { readonly app: string }, ctx: Ctx): Promise<void> {
    const app = findSampleApp(request.app);
    checkNamespaceName(request.namespace);
    const { contextId, namespace } = request;
    const key = sampleKey(contextId, namespace, app.name);
    const record = await this.store.get<SampleAppRecord>(key);
    if (!record) {
      throw new PluginError('PRECONDITION_FAILED', `${app.displayName} is not deployed by Meshery in namespace ${namespace}`, {
        probableCause: 'It was never deployed there through Meshery, or it was already removed.',
        remediation: 'Check the namespace; only sample applications Meshery deployed can be removed here.',
      });
    }
    ctx.emit({ type: 'step', summary: `Removing ${app.displayName} from namespace ${namespace}` });
    await this.kube.removeInventory({ contextId, inventoryId: record.inventoryId }, ctx);
    await this.store.delete(key);
    const nsKey = sampleNamespaceKey(contextId, namespace);
    const ownNamespace = await this.store.get<SampleNamespaceRecord>(nsKey);
    if (ownNamespace) {
      const apps = ownNamespace.apps.filter((a) => a !== app.name);
      if (apps.length === 0) {
        // Meshery created the namespace, but others may have put things in it since (another mesh's
        // sample app, the user's workloads): it is deleted only when nothing else is there.
        const others = await otherObjectsIn(this.kube, contextId, namespace, await this.kube.inventory(ownNamespace.inventoryId));
        if (others.length === 0) {
          ctx.emit({ type: 'step', summary: `Deleting namespace ${namespace}, which Meshery created for the sample application` });
          await this.kube.removeInventory({ contextId, inventoryId: ownNamespace.inventoryId }, ctx);
          await this.store.delete(nsKey);
        } else {
          await this.store.set(nsKey, { ...ownNamespace, apps } satisfies SampleNamespaceRecord);
          const shown = others.length > 10 ? `${others.slice(0, 10).join(', ')} and ${others.length - 10} more` : others.join(', ');
          ctx.emit({
            type: 'step',
            summary:
              `Keeping namespace ${namespace}, which Meshery created for the sample applications: it also holds what Meshery did not deploy there (${shown}). ` +
              `Delete it yourself once that is no longer needed, with everything in it: kubectl delete namespace ${namespace}`,
            details: { namespace, others },
          });
        }
      } else {
        await this.store.set(nsKey, { ...ownNamespace, apps } satisfies SampleNamespaceRecord);
        ctx.emit({ type: 'step', summary: `Keeping namespace ${namespace}: ${apps.join(', ')} still run in it` });
      }
    }
    ctx.emit({ type: 'step', summary: `${app.displayName} is removed from namespace ${namespace}` });
  }

  async setInjection(request: NamespacedRequest & { readonly enabled: boolean }, ctx: Ctx): Promise<void> {
    checkNamespaceName(request.namespace);
    const { contextId, namespace, enabled } = request;
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
    const current = await this.kube.get(contextId, ref);
    if (!current) {
      throw new PluginError('PRECONDITION_FAILED', `Namespace ${namespace} does not exist`, {
        probableCause: 'The namespace name is misspelt, or it has not been created yet.',
        remediation: `Create it first (kubectl create namespace ${namespace}) or pick an existing one (kubectl get namespaces).`,
      });
    }
    const labels = (current as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {};
    if (labels['linkerd.io/is-control-plane'] === 'true') {
      throw new PluginError('PRECONDITION_FAILED', `Namespace ${namespace} holds Linkerd's control plane, whose proxies are configured by the installation itself`, {
        remediation: 'Turn injection on for the namespaces of your workloads instead.',
      });
    }
    await this.kube.patch(contextId, ref, { metadata: { annotations: { [INJECT_ANNOTATION]: enabled ? 'enabled' : null } } });
    if (enabled && !(await detectControlPlane(this.kube, contextId))) {
      ctx.emit({ type: 'step', summary: `Warning: Linkerd's control plane is not installed on this cluster, so no proxy is injected until it is` });
    }
    ctx.emit({
      type: 'step',
      summary:
        `Proxy injection is ${enabled ? `on for namespace ${namespace} (annotation ${INJECT_ANNOTATION}=enabled)` : `off for namespace ${namespace} (annotation ${INJECT_ANNOTATION} removed)`}. ` +
        `Pods created before this change keep their current state (${enabled ? 'no proxy' : 'their proxy'}) until they are re-created: kubectl rollout restart deployment -n ${namespace}`,
    });
  }

  /**
   * The CLI of `version`: the configured `cliPath` (whose version must match), or the release's
   * binary from the artifact service, verified by its published checksum.
   */
  private async cliFor(version: string, ctx: Ctx): Promise<LinkerdCli> {
    const timeoutMs = this.settings.cliTimeoutSeconds * 1000;
    let cli: LinkerdCli;
    if (this.settings.cliPath) {
      ctx.emit({ type: 'step', summary: `Using the linkerd CLI at ${this.settings.cliPath}` });
      cli = new LinkerdCli(this.settings.cliPath, timeoutMs);
    } else {
      const platform = cliPlatform();
      const request = cliArtifact(version, this.settings.mirror, platform, this.settings.checksums);
      ctx.emit({
        type: 'step',
        summary: `Fetching the linkerd CLI ${version} (${request.url}), verified against ${request.sha256 ? `the SHA-256 pinned for ${cliFileName(version, platform)} in the "checksums" setting` : 'the .sha256 file published with it'}`,
      });
      const fetched = await this.artifacts.fetch(request, ctx);
      cli = new LinkerdCli(fetched.path, timeoutMs);
    }
    const actual = await withPrivateDir((dir) => cli.version(dir, ctx));
    if (actual !== version) {
      throw new PluginError('PRECONDITION_FAILED', `The linkerd CLI at ${cli.executable} is ${actual || 'of an unknown version'}, not ${version}`, {
        probableCause: this.settings.cliPath ? 'The configured cliPath points at another release.' : 'The mirror holds another release\'s binary under this name.',
        remediation: this.settings.cliPath
          ? `Point "cliPath" at a linkerd ${version} CLI, or remove it to let the plugin download ${version}.`
          : `Replace the mirror copy with the official ${version} binary and its .sha256 file.`,
      });
    }
    return cli;
  }

  /**
   * Drops CRDs of other projects (Gateway API's HTTPRoute, which some releases bundle) that are
   * already in the cluster and not ours: they belong to whoever installed them, and uninstalling
   * Linkerd must not delete them.
   */
  private async withoutForeignCrds(contextId: string, crds: readonly RenderedObject[], record: InstallRecord | undefined, ctx: Ctx): Promise<RenderedObject[]> {
    const ours = new Set(
      record ? (await this.kube.inventory(record.inventoryId)).filter((r) => r.kind === 'CustomResourceDefinition').map((r) => r.name) : [],
    );
    const kept: RenderedObject[] = [];
    for (const crd of crds) {
      if (crd.kind === 'CustomResourceDefinition' && !isLinkerdGroup(crd.group) && !ours.has(crd.name)) {
        const existing = await this.kube.get(contextId, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: crd.name });
        if (existing) {
          ctx.emit({ type: 'step', summary: `Keeping the CRD ${crd.name} already in the cluster (not applied, and not removed on uninstall)` });
          continue;
        }
      }
      kept.push(crd);
    }
    return kept;
  }
}
