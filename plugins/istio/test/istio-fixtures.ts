import type { KubernetesService, MeshOperationEvent } from '@meshery/plugin-api';
import type { KubeSim } from '@meshery/kube-sim';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { clusterObjects, serveDirectory } from '@meshery/plugin-testing';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { istioPlatformOf, releaseArchive, type IstioPlatform } from '../src/istio-releases.js';

const run = promisify(execFile);
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export const pluginDir = fileURLToPath(new URL('..', import.meta.url));

/** The platform whose archive the plugin asks for on this machine. */
export const platform: IstioPlatform = istioPlatformOf() ?? 'linux-amd64';

async function fixture(name: string): Promise<string> {
  return readFile(path.join(fixtures, name), 'utf8');
}

/** The trimmed `istioctl manifest generate --set profile=default` output of a version. */
export async function generatedManifest(version: string): Promise<string> {
  return (await fixture('istioctl-manifest-generate-default.yaml')).replaceAll('__VERSION__', version);
}

/** The fake istioctl of a version: a shell script that checks its arguments and prints the manifest. */
export async function fakeIstioctl(version: string): Promise<string> {
  const script = (await fixture('istioctl.sh')).replaceAll('__VERSION__', version);
  return script.replace('__MANIFEST__', (await generatedManifest(version)).trimEnd());
}

/** Writes a fake istioctl to a file of its own (for the cliPath setting). */
export async function writeFakeIstioctl(dir: string, version: string): Promise<string> {
  const file = path.join(dir, `istioctl-${version}`);
  await writeFile(file, await fakeIstioctl(version), { mode: 0o755 });
  return file;
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Where the mirror keeps a release archive and its checksum file. */
export function mirrorPaths(mirror: string, version: string): { archive: string; checksum: string } {
  const archive = releaseArchive(version, platform);
  const relative = new URL(archive.url).pathname.split('/');
  const file = path.join(mirror, 'github.com', ...relative);
  return { archive: file, checksum: `${file}.sha256` };
}

/**
 * A mirror directory laid out as `<mirror>/github.com/istio/istio/releases/download/<v>/...`, with
 * a small fake release archive per version (istio-<v>/bin/istioctl, samples/, manifests/) and its
 * `.sha256` file as Istio publishes it (`<hex>  <file name>`).
 */
export async function buildIstioMirror(root: string, versions: readonly string[]): Promise<string> {
  const mirror = path.join(root, 'mirror');
  for (const version of versions) {
    const build = await mkdtemp(path.join(root, 'build-'));
    const top = path.join(build, `istio-${version}`);
    await mkdir(path.join(top, 'bin'), { recursive: true });
    await mkdir(path.join(top, 'samples', 'bookinfo', 'platform', 'kube'), { recursive: true });
    await mkdir(path.join(top, 'samples', 'httpbin'), { recursive: true });
    await mkdir(path.join(top, 'manifests', 'profiles'), { recursive: true });
    await writeFile(path.join(top, 'bin', 'istioctl'), await fakeIstioctl(version));
    await chmod(path.join(top, 'bin', 'istioctl'), 0o755);
    await writeFile(path.join(top, 'samples', 'bookinfo', 'platform', 'kube', 'bookinfo.yaml'), await fixture('bookinfo.yaml'));
    await writeFile(path.join(top, 'samples', 'httpbin', 'httpbin.yaml'), await fixture('httpbin.yaml'));
    await writeFile(path.join(top, 'manifests', 'profiles', 'default.yaml'), 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n');
    await writeFile(path.join(top, 'manifest.yaml'), `version: ${version}\n`);
    const { archive, checksum } = mirrorPaths(mirror, version);
    await mkdir(path.dirname(archive), { recursive: true });
    await run('tar', ['-czf', archive, '-C', build, `istio-${version}`]);
    await writeFile(checksum, `${await sha256Of(archive)}  ${path.basename(archive)}\n`);
    await rm(build, { recursive: true, force: true });
  }
  return mirror;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Writes objects straight to kube-sim's REST API, as another tool would: not through the plugin
 * or the host's engine, so they carry no Meshery label and belong to no inventory.
 */
export async function createDirectly(sim: KubeSim, manifest: string): Promise<void> {
  for (const object of manifestObjects(manifest)) {
    const metadata = object['metadata'] as { namespace?: string };
    const apiVersion = String(object['apiVersion']);
    const plural = `${String(object['kind']).toLowerCase()}s`;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const url = `${sim.url}${base}${metadata.namespace ? `/namespaces/${metadata.namespace}` : ''}/${plural}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(sim.token ? { authorization: `Bearer ${sim.token}` } : {}) },
      body: JSON.stringify(object),
    });
    if (response.status !== 201 && response.status !== 409) throw new Error(`creating ${plural}: HTTP ${response.status} ${await response.text()}`);
  }
}

function manifestObjects(manifest: string): Record<string, unknown>[] {
  return parseAllDocuments(manifest)
    .map((document) => document.toJS() as Record<string, unknown> | null)
    .filter((object): object is Record<string, unknown> => object !== null);
}

/**
 * Plays istiod's part at start-up, which kube-sim (no pods) cannot: patches its CA into the
 * sidecar injector webhook and writes the istio-ca-root-cert ConfigMap into namespaces.
 */
export async function playIstiod(sim: KubeSim, kube: KubernetesService, contextId: string, namespaces: readonly string[]): Promise<void> {
  const ref = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: 'istio-sidecar-injector' };
  const webhook = (await kube.get(contextId, ref)) as { webhooks: Record<string, unknown>[] } | null;
  if (!webhook) throw new Error('no sidecar injector webhook to patch');
  const caBundle = Buffer.from('-----BEGIN CERTIFICATE-----\nistiod self-signed root (test)\n-----END CERTIFICATE-----\n').toString('base64');
  await kube.patch(contextId, ref, {
    webhooks: webhook.webhooks.map((hook) => ({ ...hook, clientConfig: { ...(hook['clientConfig'] as object), caBundle } })),
  });
  for (const namespace of namespaces) {
    await createDirectly(
      sim,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-ca-root-cert\n  namespace: ${namespace}\n  labels:\n    istio.io/config: "true"\ndata:\n  root-cert.pem: test\n`,
    );
  }
}

/**
 * A control plane installed by someone else (istioctl install): no Meshery label, the labels
 * istioctl's installer sets, written straight to the cluster (not through the plugin).
 */
export function foreignControlPlane(version: string, namespace = 'istio-system', withVersionLabel = true): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: istiod
  namespace: ${namespace}
  labels:
    app: istiod
    istio: pilot
    istio.io/rev: default
    install.operator.istio.io/owning-resource: installed-state
    operator.istio.io/component: Pilot
    operator.istio.io/managed: Reconcile
${withVersionLabel ? `    operator.istio.io/version: ${version}\n` : ''}spec:
  selector:
    matchLabels:
      istio: pilot
  template:
    metadata:
      labels:
        app: istiod
        istio: pilot
    spec:
      containers:
      - name: discovery
        image: docker.io/istio/pilot:${version}
`;
}

export type Events = MeshOperationEvent[];

export const steps = (events: Events): string[] => events.filter((e) => e.type === 'step').map((e) => e.summary);

/**
 * Patches an object straight through kube-sim's REST API as another field manager would (istiod is
 * `pilot-discovery`, kubectl edit is `kubectl-edit`), with a JSON merge patch: the manager takes
 * ownership of the fields it changes, as on a real API server.
 */
export async function patchAs(sim: KubeSim, fieldManager: string, apiPath: string, patch: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${sim.url}${apiPath}?fieldManager=${encodeURIComponent(fieldManager)}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json', ...(sim.token ? { authorization: `Bearer ${sim.token}` } : {}) },
    body: JSON.stringify(patch),
  });
  if (response.status !== 200) throw new Error(`patching ${apiPath}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Deletes an object straight through kube-sim's REST API, as a user with kubectl would. */
export async function deleteDirectly(sim: KubeSim, apiPath: string): Promise<void> {
  const response = await fetch(`${sim.url}${apiPath}`, { method: 'DELETE', headers: sim.token ? { authorization: `Bearer ${sim.token}` } : {} });
  if (response.status !== 200 && response.status !== 202) throw new Error(`deleting ${apiPath}: HTTP ${response.status} ${await response.text()}`);
}

/**
 * Plays istiod's validation webhook controller: once istiod serves, it patches its CA into the
 * ValidatingWebhookConfigurations and turns their failurePolicy from the chart's Ignore to Fail,
 * as field manager `pilot-discovery`. Its sidecar injector patcher does the same for the CA of the
 * MutatingWebhookConfiguration.
 */
export async function playIstiodWebhookControllers(sim: KubeSim): Promise<string> {
  const caBundle = Buffer.from('-----BEGIN CERTIFICATE-----\nistiod self-signed root (test)\n-----END CERTIFICATE-----\n').toString('base64');
  const base = '/apis/admissionregistration.k8s.io/v1';
  for (const [resource, name, failurePolicy] of [
    ['validatingwebhookconfigurations', 'istio-validator-istio-system', 'Fail'],
    ['validatingwebhookconfigurations', 'istiod-default-validator', 'Fail'],
    ['mutatingwebhookconfigurations', 'istio-sidecar-injector', undefined],
  ] as const) {
    const live = sim.store.get('admissionregistration.k8s.io', resource, '', name) as unknown as { webhooks: Record<string, unknown>[] } | undefined;
    if (!live) throw new Error(`no ${resource} ${name} to patch`);
    await patchAs(sim, 'pilot-discovery', `${base}/${resource}/${name}`, {
      webhooks: live.webhooks.map((hook) => ({
        ...hook,
        ...(failurePolicy ? { failurePolicy } : {}),
        clientConfig: { ...(hook['clientConfig'] as object), caBundle },
      })),
    });
  }
  return caBundle;
}
