import { PluginError, type SampleAppInfo } from '@meshery/plugin-api';

/** A sample app shipped in the Istio release archive. */
export interface IstioSampleApp extends SampleAppInfo {
  /** Its manifest, relative to the archive's `istio-<v>/` directory. */
  readonly manifestPath: string;
}

/** The sample apps, from the `samples/` directory of the release archive of the installed version. */
export const ISTIO_SAMPLE_APPS: readonly IstioSampleApp[] = Object.freeze([
  {
    name: 'bookinfo',
    displayName: 'Bookinfo',
    description:
      'Istio’s four-service book catalogue (productpage, details, reviews v1–v3, ratings), for traffic management and telemetry demos.',
    manifestPath: 'samples/bookinfo/platform/kube/bookinfo.yaml',
  },
  {
    name: 'httpbin',
    displayName: 'httpbin',
    description: 'An HTTP request and response service (go-httpbin), handy for testing routing, retries, faults and load.',
    manifestPath: 'samples/httpbin/httpbin.yaml',
  },
]);

/** The sample app of that name, or `INVALID_REQUEST` listing them. */
export function sampleApp(name: string): IstioSampleApp {
  const app = ISTIO_SAMPLE_APPS.find((candidate) => candidate.name === name);
  if (app) return app;
  const names = ISTIO_SAMPLE_APPS.map((candidate) => candidate.name).join(', ');
  throw new PluginError('INVALID_REQUEST', `Unknown Istio sample app "${name}"; the sample apps are: ${names}`, {
    field: 'app',
    probableCause: 'The app name is misspelt or belongs to another mesh.',
    remediation: `Use one of ${names}.`,
  });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A namespace name as Kubernetes accepts it, or `INVALID_REQUEST`. */
export function checkNamespaceName(namespace: string): string {
  if (typeof namespace === 'string' && namespace.length <= 63 && DNS_LABEL.test(namespace)) return namespace;
  throw new PluginError('INVALID_REQUEST', `"${String(namespace)}" is not a valid namespace name`, {
    field: 'namespace',
    probableCause: 'Namespace names are DNS labels: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit.',
    remediation: 'Use a name such as "bookinfo" or "default".',
  });
}
