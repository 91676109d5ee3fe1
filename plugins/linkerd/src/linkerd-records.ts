/** The Linkerd control plane's namespace: the CLI's default, which the plugin keeps. */
export const CONTROL_PLANE_NAMESPACE = 'linkerd';

/** The label the host's apply engine puts on every object it applies. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/**
 * An installation made by this plugin, kept under `install/<contextId>`. It is written before
 * anything is applied, so an interrupted install re-run converges into the same inventory.
 */
export interface InstallRecord {
  readonly version: string;
  readonly inventoryId: string;
  readonly namespace: string;
  /**
   * Whether the control-plane namespace did not exist before the first install, so that its
   * Namespace is in the inventory and goes with it. Absent in records of earlier plugin versions,
   * which always applied it: read as `true`.
   */
  readonly namespaceCreated?: boolean;
  /**
   * For a namespace that existed: the labels and annotations of Linkerd's Namespace the plugin set
   * on it, each with the value it had before (`null`: absent), restored on uninstall.
   */
  readonly namespaceMetadataBefore?: NamespaceMetadata;
  readonly installedAt: string;
  readonly state: 'installing' | 'installed';
}

export interface NamespaceMetadata {
  readonly labels: Readonly<Record<string, string | null>>;
  readonly annotations: Readonly<Record<string, string | null>>;
}

/** A deployed sample application, kept under `sample/<contextId>/<namespace>/<app>`. */
export interface SampleAppRecord {
  readonly app: string;
  readonly namespace: string;
  readonly inventoryId: string;
  readonly deployedAt: string;
  readonly state: 'deploying' | 'deployed';
}

/**
 * A namespace the plugin created for sample applications (it did not exist before), kept under
 * `sample-namespace/<contextId>/<namespace>` with its own inventory; it is deleted when the last
 * sample application in it is removed and nothing else is in it, and never when the user had it.
 * When something else is in it then, the record stays with no apps (the namespace is still
 * Meshery's: a later sample application deployed and removed there deletes it once it is empty).
 */
export interface SampleNamespaceRecord {
  readonly namespace: string;
  readonly inventoryId: string;
  readonly apps: readonly string[];
}

export const installKey = (contextId: string) => `install/${contextId}`;
export const certificatesKey = (contextId: string) => `certificates/${contextId}`;
export const webhookCertificatesKey = (contextId: string) => `webhook-certificates/${contextId}`;
export const sampleKey = (contextId: string, namespace: string, app: string) => `sample/${contextId}/${namespace}/${app}`;
export const sampleNamespaceKey = (contextId: string, namespace: string) => `sample-namespace/${contextId}/${namespace}`;
