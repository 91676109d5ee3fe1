import type {
  ConformanceSuiteDescriptor,
  HostInfo,
  LoadGeneratorDescriptor,
  LogFields,
  MeshDescriptor,
  PluginKind,
  PluginManifest,
  SerializedPluginError,
} from '@meshery/plugin-api';

/** Identifies one provider inside a plugin worker. */
export interface ProviderAddress {
  readonly kind: PluginKind;
  readonly index: number;
}

/** Data a plugin worker starts with. */
export interface WorkerInit {
  readonly entryPath: string;
  readonly manifest: PluginManifest;
  readonly config: Readonly<Record<string, unknown>>;
  readonly hostInfo: HostInfo;
}

/** Descriptors of the providers a worker-hosted plugin registered, in registration order. */
export interface ProviderDescriptors {
  readonly loadGenerators: readonly LoadGeneratorDescriptor[];
  readonly meshProviders: readonly MeshDescriptor[];
  readonly conformanceSuites: readonly ConformanceSuiteDescriptor[];
}

/** The reply to an invocation: a value, or a plugin error. */
export type InvocationReply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: SerializedPluginError };

/** Messages from the host to a plugin worker. */
export type HostToWorkerMessage =
  | {
      readonly type: 'invoke';
      readonly requestId: number;
      readonly provider: ProviderAddress;
      readonly method: string;
      readonly args: readonly unknown[];
      /** Present for methods that take an OperationContext as their last parameter. */
      readonly operationId?: string;
    }
  | { readonly type: 'abort'; readonly requestId: number };

/** Messages from a plugin worker to the host. */
export type WorkerToHostMessage =
  | { readonly type: 'ready'; readonly descriptors: ProviderDescriptors }
  | { readonly type: 'init-failed'; readonly message: string }
  | { readonly type: 'reply'; readonly requestId: number; readonly reply: InvocationReply }
  | { readonly type: 'event'; readonly requestId: number; readonly event: unknown }
  | {
      readonly type: 'log';
      readonly level: 'debug' | 'info' | 'warn' | 'error';
      readonly message: string;
      readonly fields: LogFields;
      readonly operationId?: string;
    };

/**
 * The methods of each extension point, and whether each takes an OperationContext as its last
 * parameter. A worker proxy forwards exactly these.
 */
export const EXTENSION_POINT_METHODS: Readonly<Record<PluginKind, Readonly<Record<string, boolean>>>> = {
  'load-generator': { run: true },
  'mesh-lifecycle': {
    listVersions: false,
    install: true,
    uninstall: true,
    status: true,
    sampleApps: false,
    deploySampleApp: true,
    removeSampleApp: true,
    setInjection: true,
  },
  conformance: { listTests: false, run: true },
};
