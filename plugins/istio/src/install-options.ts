import { PluginError } from '@meshery/plugin-api';

/** The per-install options a user may give (`MeshInstallRequest.options`), validated. */
export interface IstioInstallOptions {
  /** Extra `istioctl manifest generate --set <key>=<value>` settings, e.g. `meshConfig.accessLogFile`. */
  readonly set: Readonly<Record<string, string | number | boolean>>;
  /** Overrides the configured readiness timeout for this install. */
  readonly readinessTimeoutSeconds?: number;
}

/** Keys of `set` the plugin decides itself: the profile, the revision and the namespace. */
const RESERVED_SET_KEYS: Readonly<Record<string, string>> = {
  profile: 'the plugin installs the default profile (its health checks expect istiod and istio-ingressgateway)',
  revision: 'revisions rename istiod and its webhooks, which the health checks and uninstall rely on',
  'values.revision': 'revisions rename istiod and its webhooks, which the health checks and uninstall rely on',
  'values.global.istioNamespace': 'the plugin installs into istio-system',
  namespace: 'the plugin installs into istio-system',
};

/** A path of the IstioOperator API as `--set` takes it: `a.b[0].c`, `values.pilot.env.X`. */
const SET_KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])?(\.[A-Za-z0-9_-]+(\[\d+\])?)*$/;

const KNOWN_OPTIONS = ['set', 'readinessTimeoutSeconds'];

function invalid(field: string, message: string, remediation: string): PluginError {
  return new PluginError('INVALID_REQUEST', message, {
    field,
    probableCause: 'The install options do not match what the Istio plugin accepts.',
    remediation,
  });
}

/**
 * Checks the user's install options: unknown keys and wrong types are refused with
 * `INVALID_REQUEST` naming the option.
 */
export function parseInstallOptions(options: Readonly<Record<string, unknown>> | undefined): IstioInstallOptions {
  const given = options ?? {};
  for (const key of Object.keys(given)) {
    if (!KNOWN_OPTIONS.includes(key)) {
      throw invalid(`options.${key}`, `Unknown install option "${key}"; the Istio plugin accepts: ${KNOWN_OPTIONS.join(', ')}`, 'Remove the option, or pass Istio settings through options.set, e.g. { "set": { "meshConfig.accessLogFile": "/dev/stdout" } }.');
    }
  }
  const set: Record<string, string | number | boolean> = {};
  const rawSet = given['set'];
  if (rawSet !== undefined) {
    if (typeof rawSet !== 'object' || rawSet === null || Array.isArray(rawSet)) {
      throw invalid('options.set', 'Install option "set" must be an object of IstioOperator paths to values', 'Give it as { "meshConfig.accessLogFile": "/dev/stdout", "values.pilot.traceSampling": 10 }.');
    }
    for (const [key, value] of Object.entries(rawSet as Record<string, unknown>)) {
      const field = `options.set.${key}`;
      if (!SET_KEY.test(key)) {
        throw invalid(field, `Install option set."${key}" is not an IstioOperator path`, 'Use dotted paths such as meshConfig.accessLogFile or values.global.proxy.resources.requests.cpu.');
      }
      if (RESERVED_SET_KEYS[key]) {
        throw invalid(field, `Install option set."${key}" cannot be changed: ${RESERVED_SET_KEYS[key]}`, `Remove set."${key}".`);
      }
      if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string' && typeof value !== 'boolean') {
        throw invalid(field, `Install option set."${key}" must be a string, a number or a boolean, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, 'Give one value per path; for lists use indexed paths such as components.ingressGateways[0].enabled.');
      }
      if (typeof value === 'string' && /[\n\r]/.test(value)) {
        throw invalid(field, `Install option set."${key}" must be a single line`, 'Remove the line breaks from the value.');
      }
      set[key] = value as string | number | boolean;
    }
  }
  const timeout = given['readinessTimeoutSeconds'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 3600)) {
    throw invalid('options.readinessTimeoutSeconds', 'Install option "readinessTimeoutSeconds" must be a whole number of seconds from 1 to 3600', 'Give e.g. 300.');
  }
  return { set, ...(typeof timeout === 'number' ? { readinessTimeoutSeconds: timeout } : {}) };
}

/** The `--set` arguments of `istioctl manifest generate` for the options, in a stable order. */
export function setArguments(options: IstioInstallOptions): string[] {
  return Object.keys(options.set)
    .sort()
    .flatMap((key) => ['--set', `${key}=${String(options.set[key])}`]);
}
