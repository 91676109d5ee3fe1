/**
 * What the plugin keeps in its store (`PluginTokens.store`). The inventory id of an installation
 * is saved before anything is applied, so an interrupted operation run again converges into the
 * same inventory and an uninstall removes everything that was ever applied.
 */

/** `install/<contextId>`: the Istio installation this plugin made on a cluster connection. */
export interface InstallRecord {
  readonly version: string;
  readonly inventoryId: string;
  readonly namespace: string;
  /** Whether the plugin created the namespace (then it is in the inventory and goes with it). */
  readonly namespaceCreated: boolean;
  readonly installedAt: string;
  readonly state: 'installing' | 'installed';
  /**
   * Istio CRDs (`*.istio.io`) of the manifest that existed before the first install (left behind
   * by `helm uninstall`, installed by hand or by another tool): left out of every apply, so they
   * never enter the inventory and uninstall leaves them in place. Absent in records written before
   * this was kept (read as none).
   */
  readonly preexistingCrds?: readonly string[];
}

/** `sample/<contextId>/<namespace>/<app>`: a deployed sample app. */
export interface SampleAppRecord {
  readonly app: string;
  readonly namespace: string;
  /** The Istio release its manifest came from. */
  readonly version: string;
  readonly inventoryId: string;
  readonly deployedAt: string;
  readonly state: 'deploying' | 'deployed';
}

/**
 * `sample-namespace/<contextId>/<namespace>`: a namespace the plugin created for sample apps. It
 * has an inventory of its own, removed with the last sample app in it, so removing one app never
 * deletes another app's namespace.
 */
export interface SampleNamespaceRecord {
  readonly namespace: string;
  readonly inventoryId: string;
  readonly createdAt: string;
}

export const installKey = (contextId: string): string => `install/${contextId}`;
export const sampleAppKey = (contextId: string, namespace: string, app: string): string => `sample/${contextId}/${namespace}/${app}`;
export const sampleAppsInNamespacePrefix = (contextId: string, namespace: string): string => `sample/${contextId}/${namespace}/`;
export const sampleNamespaceKey = (contextId: string, namespace: string): string => `sample-namespace/${contextId}/${namespace}`;
