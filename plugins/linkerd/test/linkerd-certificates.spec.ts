import { PluginError } from '@meshery/plugin-api';
import * as x509 from '@peculiar/x509';
import { execFile, execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrustAnchor, issueIssuer, prepareCertificates, validateGivenCertificates } from '../src/linkerd-certificates.js';
import { removeDir } from './linkerd-test-kit.js';

const run = promisify(execFile);
const DAY = 86_400_000;
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PluginError);
  return error as PluginError;
}

describe('Linkerd identity certificates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'linkerd-certs-'));
  });
  afterAll(() => removeDir(dir));

  it('generates a root CA and an intermediate CA that openssl verifies as a chain', async () => {
    const now = new Date();
    const prepared = await prepareCertificates(undefined, {}, { trustAnchorDays: 3650, issuerDays: 365 }, now);
    const { record } = prepared;
    expect(record.source).toBe('generated');
    const anchor = new x509.X509Certificate(record.trustAnchorPEM);
    const issuer = new x509.X509Certificate(record.issuerCertificatePEM);
    expect(anchor.subject).toBe('CN=root.linkerd.cluster.local');
    expect(anchor.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, critical: true });
    expect(anchor.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(issuer.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0 });
    expect(Math.round((issuer.notAfter.getTime() - now.getTime()) / DAY)).toBe(365);
    expect(Math.round((anchor.notAfter.getTime() - now.getTime()) / DAY)).toBe(3650);
    // The key linkerd reads: SEC1 ("EC PRIVATE KEY") on P-256, matching the issuer certificate.
    expect(record.issuerKeyPEM).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(createPrivateKey(record.issuerKeyPEM).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(await validateGivenCertificates(record as Required<typeof record>, now)).toMatchObject({ issuerExpiresAt: record.issuerExpiresAt });

    if (hasOpenssl) {
      await writeFile(path.join(dir, 'ca.crt'), record.trustAnchorPEM);
      await writeFile(path.join(dir, 'issuer.crt'), record.issuerCertificatePEM);
      const { stdout } = await run('openssl', ['verify', '-CAfile', path.join(dir, 'ca.crt'), path.join(dir, 'issuer.crt')]);
      expect(stdout).toMatch(/issuer\.crt: OK/);
    }
  });

  it('never issues an issuer past its trust anchor', async () => {
    const now = new Date();
    const anchor = await generateTrustAnchor(30, now);
    const issuer = await issueIssuer(anchor.certificatePEM, anchor.keyPEM, 365, now);
    expect(issuer.notAfter.getTime()).toBe(new x509.X509Certificate(anchor.certificatePEM).notAfter.getTime());
    expect(issuer.notAfter.getTime() - now.getTime()).toBeLessThanOrEqual(30 * DAY);
  });

  it.skipIf(!hasOpenssl)('accepts certificates made with openssl (PKCS#8 key) and hands linkerd a SEC1 key', async () => {
    const o = (...args: string[]) => run('openssl', args, { cwd: dir });
    await writeFile(path.join(dir, 'ca.cnf'), '[v3_ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n[v3_int]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
    await o('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca.key');
    await o('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=root.linkerd.cluster.local', '-days', '365', '-out', 'ca.pem', '-config', 'ca.cnf', '-extensions', 'v3_ca');
    await o('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'issuer.key');
    await o('req', '-new', '-key', 'issuer.key', '-subj', '/CN=identity.linkerd.cluster.local', '-out', 'issuer.csr');
    await o('x509', '-req', '-in', 'issuer.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '100', '-out', 'issuer.pem', '-extfile', 'ca.cnf', '-extensions', 'v3_int');
    const read = (f: string) => readFile(path.join(dir, f), 'utf8');
    const given = { trustAnchorPEM: await read('ca.pem'), issuerCertificatePEM: await read('issuer.pem'), issuerKeyPEM: await read('issuer.key') };
    expect(given.issuerKeyPEM).toMatch(/BEGIN PRIVATE KEY/);

    const prepared = await prepareCertificates(undefined, given, { trustAnchorDays: 1, issuerDays: 1 }, new Date());
    expect(prepared.record).toMatchObject({ source: 'given' });
    expect(prepared.record.trustAnchorKeyPEM).toBeUndefined();
    expect(prepared.record.issuerKeyPEM).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);

    // Wrong pairings are refused, naming the field at fault.
    const other = await generateTrustAnchor(365, new Date());
    expect(await rejection(validateGivenCertificates({ ...given, trustAnchorPEM: other.certificatePEM }, new Date()))).toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'options.issuerCertificatePEM',
      message: expect.stringMatching(/not signed by the trust anchor given/),
    });
    expect(await rejection(validateGivenCertificates({ ...given, issuerKeyPEM: await read('ca.key') }, new Date()))).toMatchObject({
      field: 'options.issuerKeyPEM',
      message: 'The issuer key does not match the issuer certificate',
    });
    expect(await rejection(validateGivenCertificates(given, new Date(Date.now() + 400 * DAY)))).toMatchObject({
      field: 'options.trustAnchorPEM',
      message: expect.stringMatching(/No trust anchor in trustAnchorPEM is a CA valid now/),
    });
  });

  it('refuses an issuer that is not a CA, one not valid now, and keys that are not ECDSA P-256', async () => {
    const now = new Date();
    const anchor = await generateTrustAnchor(365, now);
    const anchorKey = await globalThis.crypto.subtle.importKey('pkcs8', createPrivateKey(anchor.keyPEM).export({ type: 'pkcs8', format: 'der' }), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const leafKeys = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: '0a',
      subject: 'CN=leaf',
      issuer: new x509.X509Certificate(anchor.certificatePEM).subject,
      notBefore: now,
      notAfter: new Date(now.getTime() + 30 * DAY),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      publicKey: leafKeys.publicKey,
      signingKey: anchorKey,
    });
    const { KeyObject } = await import('node:crypto');
    const leafKeyPEM = KeyObject.from(leafKeys.privateKey).export({ type: 'sec1', format: 'pem' }).toString();
    expect(await rejection(validateGivenCertificates({ trustAnchorPEM: anchor.certificatePEM, issuerCertificatePEM: leaf.toString('pem'), issuerKeyPEM: leafKeyPEM }, now))).toMatchObject({
      field: 'options.issuerCertificatePEM',
      message: 'The issuer certificate (CN=leaf) is not a CA',
    });

    const issuer = await issueIssuer(anchor.certificatePEM, anchor.keyPEM, 10, now);
    expect(await rejection(validateGivenCertificates({ trustAnchorPEM: anchor.certificatePEM, issuerCertificatePEM: issuer.certificatePEM, issuerKeyPEM: issuer.keyPEM }, new Date(now.getTime() + 11 * DAY)))).toMatchObject({
      field: 'options.issuerCertificatePEM',
      message: expect.stringMatching(/is not valid now/),
    });

    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(await rejection(validateGivenCertificates({ trustAnchorPEM: anchor.certificatePEM, issuerCertificatePEM: issuer.certificatePEM, issuerKeyPEM: rsa }, now))).toMatchObject({
      field: 'options.issuerKeyPEM',
      message: expect.stringMatching(/Linkerd needs ECDSA P-256/),
    });
    expect(await rejection(validateGivenCertificates({ trustAnchorPEM: 'not pem', issuerCertificatePEM: issuer.certificatePEM, issuerKeyPEM: issuer.keyPEM }, now))).toMatchObject({
      field: 'options.trustAnchorPEM',
    });
  });

  it('keeps given certificates without an anchor key: warns near expiry, refuses once expired', async () => {
    const now = new Date();
    const anchor = await generateTrustAnchor(365, now);
    const issuer = await issueIssuer(anchor.certificatePEM, anchor.keyPEM, 20, now);
    const kept = await validateGivenCertificates({ trustAnchorPEM: anchor.certificatePEM, issuerCertificatePEM: issuer.certificatePEM, issuerKeyPEM: issuer.keyPEM }, now);
    const soon = await prepareCertificates(kept, {}, { trustAnchorDays: 1, issuerDays: 1 }, now);
    expect(soon.record).toBe(kept);
    expect(soon.warning).toMatch(/within 30 days/);
    const late = await rejection(prepareCertificates(kept, {}, { trustAnchorDays: 1, issuerDays: 1 }, new Date(now.getTime() + 21 * DAY)));
    expect(late).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringMatching(/expired/) });
  });
});
