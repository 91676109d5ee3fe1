import type { ArtifactEvent } from './artifacts.js';
import type { KubernetesObjectEvent } from './kubernetes.js';
import type { OperationContext } from './operation.js';

/**
 * What a mesh plugin manages and which actions it offers.
 *
 * @example
 * ```ts
 * const descriptor: MeshDescriptor = { mesh: 'istio', displayName: 'Istio',
 *   operations: ['install', 'uninstall', 'status', 'sample-apps', 'injection'] };
 * ```
 */
export interface MeshDescriptor {
  /** Mesh id, kebab-case, e.g. `istio`, `linkerd`. */
  readonly mesh: string;
  readonly displayName: string;
  readonly operations: readonly MeshOperationName[];
}

/**
 * The actions a mesh plugin may support.
 *
 * @example
 * ```ts
 * descriptor.operations.includes('injection');
 * ```
 */
export type MeshOperationName = 'install' | 'uninstall' | 'status' | 'sample-apps' | 'injection';

/**
 * A version of a mesh the plugin can install.
 *
 * @example
 * ```ts
 * const v: MeshVersionInfo = { version: '1.22.3', default: true };
 * ```
 */
export interface MeshVersionInfo {
  readonly version: string;
  /** The version installed when the user names none. */
  readonly default: boolean;
}

/**
 * Identifies the cluster connection (a stored kubeconfig context) an action targets.
 *
 * @example
 * ```ts
 * const target: ClusterTarget = { contextId: 'b1f8…' };
 * ```
 */
export interface ClusterTarget {
  readonly contextId: string;
}

/**
 * A request to install a mesh.
 *
 * @example
 * ```ts
 * const request: MeshInstallRequest = { contextId: 'b1f8…', version: '1.22.3', options: {} };
 * ```
 */
export interface MeshInstallRequest extends ClusterTarget {
  /** The version; the plugin's default when absent. */
  readonly version?: string;
  /** Mesh-specific options, described by the plugin's documentation. */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A progress event of a mesh action.
 *
 * @example
 * ```ts
 * ctx.emit({ type: 'step', summary: 'Rendering manifests for Istio 1.22.3' });
 * ```
 */
export type MeshOperationEvent = MeshStepEvent | KubernetesObjectEvent | ArtifactEvent;

/**
 * A step of a mesh action, in the plugin's words.
 *
 * @example
 * ```ts
 * ctx.emit({ type: 'step', summary: 'Generating the default profile with istioctl 1.24.1' });
 * ```
 */
export interface MeshStepEvent {
  readonly type: 'step';
  readonly summary: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Health of one part of a mesh, in the manner of `linkerd check`.
 *
 * @example
 * ```ts
 * const check: MeshHealthCheck = { component: 'istiod', healthy: true, message: '1/1 replicas available' };
 * ```
 */
export interface MeshHealthCheck {
  /** What was checked, e.g. `istiod`, `CRDs`, `sidecar injector webhook`, `issuer certificate`. */
  readonly component: string;
  readonly healthy: boolean;
  readonly message: string;
  readonly remediation?: string;
}

/**
 * What a mesh's status check found.
 *
 * @example
 * ```ts
 * const status: MeshStatus = { installed: true, version: '1.22.3', healthy: true, checks: [] };
 * ```
 */
export interface MeshStatus {
  /** Whether the mesh's control plane is in the cluster, whoever installed it. */
  readonly installed: boolean;
  /** The control plane's version, read from the cluster. */
  readonly version?: string;
  /** The control plane's namespace. */
  readonly namespace?: string;
  /**
   * `true` when this Meshery installed it (so `uninstall` can remove it), `false` when someone else
   * did (istioctl, helm, ...); absent when not installed.
   */
  readonly managedByMeshery?: boolean;
  /** Every check passed. */
  readonly healthy: boolean;
  readonly checks: readonly MeshHealthCheck[];
  /** Namespaces whose new pods get this mesh's sidecar (its injection label or annotation is on), sorted. */
  readonly injectionNamespaces?: readonly string[];
  /** The sample apps this plugin deployed on the cluster. */
  readonly sampleApps?: readonly DeployedSampleApp[];
}

/**
 * A sample application a mesh plugin deployed.
 *
 * @example
 * ```ts
 * const deployed: DeployedSampleApp = { app: 'bookinfo', namespace: 'bookinfo', ready: true };
 * ```
 */
export interface DeployedSampleApp {
  readonly app: string;
  readonly namespace: string;
  /** False while its deployment is under way or was cut short (deploy again to finish it). */
  readonly ready: boolean;
}

/**
 * A sample application a mesh plugin can deploy.
 *
 * @example
 * ```ts
 * const app: SampleAppInfo = { name: 'bookinfo', displayName: 'Bookinfo', description: 'Istio’s sample' };
 * ```
 */
export interface SampleAppInfo {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
}

/**
 * A request that targets one namespace of a cluster.
 *
 * @example
 * ```ts
 * const request: NamespacedRequest = { contextId: 'b1f8…', namespace: 'default' };
 * ```
 */
export interface NamespacedRequest extends ClusterTarget {
  readonly namespace: string;
}

/**
 * The mesh-lifecycle extension point. Plugins describe *what* to apply; the host's Kubernetes
 * service applies, orders, waits and keeps the inventory.
 *
 * @example
 * ```ts
 * @injectable()
 * export class IstioProvider implements MeshProvider { readonly descriptor = istioDescriptor; ... }
 * ```
 */
export interface MeshProvider {
  readonly descriptor: MeshDescriptor;
  listVersions(): Promise<readonly MeshVersionInfo[]>;
  install(request: MeshInstallRequest, ctx: OperationContext<MeshOperationEvent>): Promise<void>;
  uninstall(request: ClusterTarget, ctx: OperationContext<MeshOperationEvent>): Promise<void>;
  status(request: ClusterTarget, ctx: OperationContext<MeshOperationEvent>): Promise<MeshStatus>;
  sampleApps(): Promise<readonly SampleAppInfo[]>;
  deploySampleApp(
    request: NamespacedRequest & { readonly app: string },
    ctx: OperationContext<MeshOperationEvent>,
  ): Promise<void>;
  removeSampleApp(
    request: NamespacedRequest & { readonly app: string },
    ctx: OperationContext<MeshOperationEvent>,
  ): Promise<void>;
  setInjection(
    request: NamespacedRequest & { readonly enabled: boolean },
    ctx: OperationContext<MeshOperationEvent>,
  ): Promise<void>;
}
