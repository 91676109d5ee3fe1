import type { KubeSim } from '@meshery/kube-sim';
import type { MeshOperationEvent } from '@meshery/plugin-api';
import * as x509 from '@peculiar/x509';
import { createHash, randomBytes, type webcrypto } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { clusterObjects, serveDirectory } from '@meshery/plugin-testing';
import { parseAllDocuments } from 'yaml';
import { SAMPLE_APPS } from '../src/linkerd-sample-apps.js';
import { cliUrl } from '../src/linkerd-versions.js';

export const PLUGIN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(PLUGIN_DIR, 'test', 'fixtures');

/** Where an official address lives in a mirror (`wget -x` layout). */
export function mirrorPath(root: string, url: string): string {
  const u = new URL(url);
  return path.join(root, u.host, ...u.pathname.split('/').filter(Boolean));
}

/** A self-signed serving certificate like those the chart's genSelfSignedCert makes for a webhook. */
export async function webhookCertificate(validityDays = 365, now = new Date()): Promise<{ crt: string; key: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await globalThis.crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'CN=linkerd-proxy-injector.linkerd.svc',
    notBefore: now,
    notAfter: new Date(now.getTime() + validityDays * 86_400_000),
    keys,
    signingAlgorithm: algorithm,
  });
  const der = Buffer.from(await globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END PRIVATE KEY-----\n`;
  return { crt: certificate.toString('pem'), key };
}

let webhookPool: Promise<{ crt: string; key: string }[]> | undefined;

/** The fake linkerd CLI of `version`: the fixture body with its constants prepended. */
export async function fakeCli(version: string, options: { hang?: boolean } = {}): Promise<string> {
  webhookPool ??= Promise.all(Array.from({ length: 16 }, () => webhookCertificate()));
  const [body, crds, controlPlane, certificates] = await Promise.all([
    readFile(path.join(FIXTURES, 'fake-linkerd-cli.cjs'), 'utf8'),
    readFile(path.join(FIXTURES, 'linkerd-crds.yaml'), 'utf8'),
    readFile(path.join(FIXTURES, 'linkerd-control-plane.yaml'), 'utf8'),
    webhookPool,
  ]);
  return [
    '#!/usr/bin/env node',
    `const VERSION = ${JSON.stringify(version)};`,
    `const CRDS = ${JSON.stringify(crds)};`,
    `const CONTROL_PLANE = ${JSON.stringify(controlPlane)};`,
    `const WEBHOOK_CERTIFICATES = ${JSON.stringify(certificates)};`,
    `const HANG = ${options.hang ? 'true' : 'false'};`,
    body,
  ].join('\n');
}

async function put(root: string, url: string, content: string | Buffer, mode = 0o644): Promise<string> {
  const file = mirrorPath(root, url);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content, { mode });
  await chmod(file, mode);
  return file;
}

export const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/**
 * An artifacts mirror in a temporary directory: each version's fake CLI with its `.sha256` file
 * (hex digest, as Linkerd publishes it), and the sample applications' manifests.
 */
export async function buildMirror(versions: readonly string[] = ['stable-2.14.10'], options: { hang?: boolean } = {}): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'linkerd-mirror-'));
  for (const version of versions) {
    const script = await fakeCli(version, options);
    const url = cliUrl(version);
    await put(root, url, script, 0o755);
    await put(root, `${url}.sha256`, `${sha256(script)}\n`);
  }
  for (const app of SAMPLE_APPS) {
    await put(root, app.url, await readFile(path.join(FIXTURES, `${app.name}.yml`)));
  }
  return root;
}

/** Step summaries of an operation's events. */
export const steps = (events: readonly MeshOperationEvent[]) => events.filter((e) => e.type === 'step').map((e) => e.summary);

const RESOURCES: Record<string, { prefix: string; plural: string; namespaced: boolean }> = {
  Namespace: { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  ConfigMap: { prefix: '/api/v1', plural: 'configmaps', namespaced: true },
  Secret: { prefix: '/api/v1', plural: 'secrets', namespaced: true },
  Service: { prefix: '/api/v1', plural: 'services', namespaced: true },
  ServiceAccount: { prefix: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  Lease: { prefix: '/apis/coordination.k8s.io/v1', plural: 'leases', namespaced: true },
  CronJob: { prefix: '/apis/batch/v1', plural: 'cronjobs', namespaced: true },
  ClusterRole: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  Role: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  RoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  CustomResourceDefinition: { prefix: '/apis/apiextensions.k8s.io/v1', plural: 'customresourcedefinitions', namespaced: false },
  MutatingWebhookConfiguration: { prefix: '/apis/admissionregistration.k8s.io/v1', plural: 'mutatingwebhookconfigurations', namespaced: false },
  ValidatingWebhookConfiguration: { prefix: '/apis/admissionregistration.k8s.io/v1', plural: 'validatingwebhookconfigurations', namespaced: false },
};

/**
 * Applies a manifest straight to kube-sim as another tool would (field manager `helm`, no
 * Meshery label, no inventory): a foreign installation.
 */
export async function applyAsForeignTool(sim: KubeSim, manifest: string): Promise<void> {
  for (const doc of parseAllDocuments(manifest)) {
    const object = doc.toJS() as { kind?: string; metadata?: { name: string; namespace?: string } } | null;
    if (!object?.kind) continue;
    const resource = RESOURCES[object.kind];
    if (!resource) throw new Error(`applyAsForeignTool does not know kind ${object.kind}`);
    const ns = resource.namespaced ? `/namespaces/${object.metadata!.namespace ?? 'default'}` : '';
    const response = await fetch(`${sim.url}${resource.prefix}${ns}/${resource.plural}/${object.metadata!.name}?fieldManager=helm&force=true`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/apply-patch+yaml' },
      body: JSON.stringify(object),
    });
    if (!response.ok) throw new Error(`applying ${object.kind} ${object.metadata!.name}: HTTP ${response.status} ${await response.text()}`);
  }
}

/** A kubeconfig whose server is a closed port on 127.0.0.1. */
export async function unreachableKubeconfig(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: gone\n  cluster:\n    server: http://127.0.0.1:${port}\n    insecure-skip-tls-verify: true`,
    'users:',
    '- name: gone\n  user:\n    token: nothing',
    'contexts:',
    '- name: gone\n  context:\n    cluster: gone\n    user: gone',
    'current-context: gone',
  ].join('\n');
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}
