import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { PluginError, type MeshOperationEvent, type MeshProvider, type OperationContext } from '@meshery/plugin-api';
import { startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import * as x509 from '@peculiar/x509';
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrustAnchor, issueIssuer, type CertificateRecord } from '../src/linkerd-certificates.js';
import { cliUrl } from '../src/linkerd-versions.js';
import { applyAsForeignTool, buildMirror, clusterObjects, FIXTURES, mirrorPath, PLUGIN_DIR, removeDir, steps } from './linkerd-test-kit.js';

const DAY = 86_400_000;

function issuerInCluster(sim: KubeSim): x509.X509Certificate {
  const secret = sim.store.get('', 'secrets', 'linkerd', 'linkerd-identity-issuer') as { data: Record<string, string> };
  return new x509.X509Certificate(Buffer.from(secret.data['crt.pem']!, 'base64').toString('utf8'));
}

function anchorInCluster(sim: KubeSim): string {
  return (sim.store.get('', 'configmaps', 'linkerd', 'linkerd-identity-trust-roots') as { data: Record<string, string> }).data['ca-bundle.crt']!.trim();
}

/** An operation that aborts itself as soon as the engine reports an object of `kind` applied. */
function abortOn(host: PluginTestHost, kind: string): { ctx: OperationContext<MeshOperationEvent>; events: MeshOperationEvent[] } {
  const op = host.operation<MeshOperationEvent>();
  return {
    events: op.events,
    ctx: {
      ...op.ctx,
      emit: (event) => {
        op.ctx.emit(event);
        if (event.type === 'created' && event.object?.kind === kind) op.abort();
      },
    },
  };
}

describe('Linkerd install converges (mirror as a directory)', () => {
  let sim: KubeSim;
  let mirrorDir: string;
  let host: PluginTestHost;
  let linkerd: MeshProvider;
  let before: string[];
  let seeded: CertificateRecord;

  beforeAll(async () => {
    sim = await startKubeSim({ readyDelayMs: 20 });
    mirrorDir = await buildMirror(['stable-2.14.10', 'edge-24.11.8']);
    host = await startPluginTestHost({
      pluginDir: PLUGIN_DIR,
      config: { readinessTimeoutSeconds: 20 },
      cluster: { kubeconfig: sim.kubeconfig },
      artifactsMirror: mirrorDir,
    });
    linkerd = host.meshProvider('linkerd');
    before = clusterObjects(sim);
  });

  afterAll(async () => {
    await host?.stop();
    await sim?.close();
    await removeDir(mirrorDir);
  });

  it('an install cancelled mid-apply keeps its record and its certificates (the issuer renewed from the kept anchor)', async () => {
    // Certificates kept from an earlier install whose issuer expires in 10 days.
    const now = new Date();
    const anchor = await generateTrustAnchor(3650, now);
    const issuer = await issueIssuer(anchor.certificatePEM, anchor.keyPEM, 10, now);
    seeded = {
      source: 'generated',
      trustAnchorPEM: anchor.certificatePEM,
      trustAnchorKeyPEM: anchor.keyPEM,
      issuerCertificatePEM: issuer.certificatePEM,
      issuerKeyPEM: issuer.keyPEM,
      trustAnchorExpiresAt: anchor.notAfter.toISOString(),
      issuerExpiresAt: issuer.notAfter.toISOString(),
    };
    await host.store.set(`certificates/${host.contextId}`, seeded);

    const op = abortOn(host, 'Secret');
    const error = await linkerd.install({ contextId: host.contextId, options: {} }, op.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).code).toBe('CANCELLED');
    expect(steps(op.events).some((s) => /Re-issued the issuer certificate from the kept trust anchor/.test(s))).toBe(true);
    expect(sim.store.get('apps', 'deployments', 'linkerd', 'linkerd-identity')).toBeUndefined();

    const record = await host.store.get<{ state: string }>(`install/${host.contextId}`);
    expect(record?.state).toBe('installing');
    const kept = (await host.store.get<CertificateRecord>(`certificates/${host.contextId}`))!;
    expect(kept.trustAnchorPEM).toBe(seeded.trustAnchorPEM);
    expect(kept.issuerCertificatePEM).not.toBe(seeded.issuerCertificatePEM);
    expect(new Date(kept.issuerExpiresAt).getTime() - now.getTime()).toBeGreaterThan(300 * DAY);
  });

  it('running the install again converges into the same inventory and is healthy', async () => {
    const record = await host.store.get<{ inventoryId: string }>(`install/${host.contextId}`);
    const op = host.operation<MeshOperationEvent>();
    await linkerd.install({ contextId: host.contextId, options: {} }, op.ctx);
    expect(steps(op.events).some((s) => s.includes(`converging into its inventory ${record!.inventoryId}`))).toBe(true);
    expect(await host.store.get(`install/${host.contextId}`)).toMatchObject({ inventoryId: record!.inventoryId, state: 'installed' });

    const status = await linkerd.status({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx);
    expect(status.checks.filter((c) => !c.healthy)).toEqual([]);
    expect(status).toMatchObject({ installed: true, healthy: true, managedByMeshery: true });

    // The cluster runs the kept trust anchor and the renewed issuer.
    const kept = (await host.store.get<CertificateRecord>(`certificates/${host.contextId}`))!;
    expect(anchorInCluster(sim)).toBe(seeded.trustAnchorPEM.trim());
    expect(issuerInCluster(sim).toString('pem')).toBe(new x509.X509Certificate(kept.issuerCertificatePEM).toString('pem'));
  });

  it('installing the same version again reuses the certificates and changes nothing that matters', async () => {
    const kept = (await host.store.get<CertificateRecord>(`certificates/${host.contextId}`))!;
    const op = host.operation<MeshOperationEvent>();
    await linkerd.install({ contextId: host.contextId, options: {} }, op.ctx);
    expect(steps(op.events).some((s) => /Reusing this installation's certificates/.test(s))).toBe(true);
    expect(await host.store.get(`certificates/${host.contextId}`)).toEqual(kept);
    expect(op.events.filter((e) => e.type === 'unchanged').length).toBeGreaterThan(20);
    expect((await linkerd.status({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx)).healthy).toBe(true);
  });

  it('refuses to install another version over its own installation', async () => {
    const error = (await linkerd.install({ contextId: host.contextId, version: 'edge-24.11.8', options: {} }, host.operation<MeshOperationEvent>().ctx).catch((e: unknown) => e)) as PluginError;
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/Linkerd stable-2\.14\.10 is installed by Meshery/);
    expect(error.remediation).toMatch(/Uninstall Linkerd stable-2\.14\.10 first/);
  });

  it('an install broken by API server errors converges once the server recovers', async () => {
    await linkerd.uninstall({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx);
    expect(clusterObjects(sim)).toEqual(before);

    sim.faults.serverError(50, { method: 'PATCH', path: '/apis/apps/v1/namespaces/linkerd/deployments/*', message: 'etcd unavailable' });
    const error = (await linkerd.install({ contextId: host.contextId, options: {} }, host.operation<MeshOperationEvent>().ctx).catch((e: unknown) => e)) as PluginError;
    expect(error).toBeInstanceOf(PluginError);
    expect(error.message).toMatch(/etcd unavailable|HTTP 500/);
    expect(sim.store.get('', 'namespaces', '', 'linkerd')).toBeDefined();
    sim.faults.clear();

    await linkerd.install({ contextId: host.contextId, options: {} }, host.operation<MeshOperationEvent>().ctx);
    expect((await linkerd.status({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx)).healthy).toBe(true);

    await linkerd.uninstall({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  }, 45_000);

  it('installs with certificates the user gives (PKCS#8 key), which the cluster then holds, keeping no anchor key', async () => {
    const now = new Date();
    const anchor = await generateTrustAnchor(365, now);
    const issuer = await issueIssuer(anchor.certificatePEM, anchor.keyPEM, 200, now);
    const issuerKeyPEM = createPrivateKey(issuer.keyPEM).export({ type: 'pkcs8', format: 'pem' }).toString();
    const op = host.operation<MeshOperationEvent>();
    await linkerd.install(
      { contextId: host.contextId, options: { trustAnchorPEM: anchor.certificatePEM, issuerCertificatePEM: issuer.certificatePEM, issuerKeyPEM } },
      op.ctx,
    );
    expect(steps(op.events).some((s) => /Using the given trust anchor and issuer certificate/.test(s))).toBe(true);
    expect(anchorInCluster(sim)).toBe(anchor.certificatePEM.trim());
    expect(issuerInCluster(sim).toString('pem')).toBe(new x509.X509Certificate(issuer.certificatePEM).toString('pem'));
    const kept = (await host.store.get<CertificateRecord>(`certificates/${host.contextId}`))!;
    expect(kept).toMatchObject({ source: 'given' });
    expect(kept.trustAnchorKeyPEM).toBeUndefined();
    expect((await linkerd.status({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx)).healthy).toBe(true);
    await linkerd.uninstall({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  it('uses a configured cliPath of the right version instead of downloading', async () => {
    const local = await startPluginTestHost({
      pluginDir: PLUGIN_DIR,
      config: { cliPath: mirrorPath(mirrorDir, cliUrl('edge-24.11.8')), readinessTimeoutSeconds: 20 },
      cluster: { kubeconfig: sim.kubeconfig },
    });
    try {
      const provider = local.meshProvider('linkerd');
      await provider.install({ contextId: local.contextId, version: 'edge-24.11.8', options: {} }, local.operation<MeshOperationEvent>().ctx);
      const status = await provider.status({ contextId: local.contextId }, local.operation<MeshOperationEvent>().ctx);
      expect(status).toMatchObject({ installed: true, version: 'edge-24.11.8', healthy: true, managedByMeshery: true });
      await provider.uninstall({ contextId: local.contextId }, local.operation<MeshOperationEvent>().ctx);
      expect(clusterObjects(sim)).toEqual(before);
    } finally {
      await local.stop();
    }
  });

  it('leaves a Gateway API CRD someone else installed alone: not applied, not removed on uninstall', async () => {
    const crds = await readFile(path.join(FIXTURES, 'linkerd-crds.yaml'), 'utf8');
    const gateway = crds.split(/^---$/m).find((doc) => doc.includes('name: httproutes.gateway.networking.k8s.io'))!.replaceAll('{{VERSION}}', 'v0.7.1');
    await applyAsForeignTool(sim, gateway);
    const withGateway = clusterObjects(sim);
    const op = host.operation<MeshOperationEvent>();
    await linkerd.install({ contextId: host.contextId, options: {} }, op.ctx);
    expect(steps(op.events)).toContain('Keeping the CRD httproutes.gateway.networking.k8s.io already in the cluster (not applied, and not removed on uninstall)');
    const crd = sim.store.get('apiextensions.k8s.io', 'customresourcedefinitions', '', 'httproutes.gateway.networking.k8s.io')!;
    expect(crd.metadata!.labels?.['app.kubernetes.io/managed-by']).toBeUndefined();
    await linkerd.uninstall({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx);
    expect(clusterObjects(sim)).toEqual(withGateway);
  });
});
