import { PluginError } from '@meshery/plugin-api';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, KeyObject, randomBytes, type KeyObject as NodeKeyObject, type webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
import type { LinkerdInstallOptions } from './linkerd-install-options.js';

/** Linkerd's identity needs ECDSA P-256 keys and certificates. */
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
/** Certificates start this much before "now", so a node whose clock is a little behind accepts them. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** A kept issuer certificate is re-issued from the kept trust anchor when it expires this soon. */
export const ISSUER_RENEWAL_DAYS = 30;
export const TRUST_ANCHOR_CN = 'root.linkerd.cluster.local';
export const ISSUER_CN = 'identity.linkerd.cluster.local';

/**
 * The identity certificates of one installation, kept in the plugin store under
 * `certificates/<contextId>` so a re-install reuses them and the issuer can be renewed.
 */
export interface CertificateRecord {
  /** `generated` by the plugin (the trust anchor's key is kept), or `given` by the user (it is not). */
  readonly source: 'generated' | 'given';
  readonly trustAnchorPEM: string;
  /** PKCS#8 PEM; only for generated trust anchors. */
  readonly trustAnchorKeyPEM?: string;
  readonly issuerCertificatePEM: string;
  /** SEC1 PEM ("EC PRIVATE KEY"), the form every linkerd release reads. */
  readonly issuerKeyPEM: string;
  readonly trustAnchorExpiresAt: string;
  readonly issuerExpiresAt: string;
}

/** What the certificates step decided, for the operation's events. */
export interface PreparedCertificates {
  readonly record: CertificateRecord;
  readonly summary: string;
  readonly warning?: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM text (a bundle may hold several). Throws on a malformed one. */
export function parseCertificates(pem: string): x509.X509Certificate[] {
  return (pem.match(PEM_CERTIFICATE) ?? []).map((block) => new x509.X509Certificate(block));
}

/** Whether a certificate says it is a CA (basicConstraints CA:TRUE). */
export function isCa(certificate: x509.X509Certificate): boolean {
  return certificate.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

/** Whether `certificate` carries a valid signature by one of `anchors` and names it as issuer. */
export async function signedByOneOf(certificate: x509.X509Certificate, anchors: readonly x509.X509Certificate[]): Promise<boolean> {
  for (const anchor of anchors) {
    if (anchor.subject !== certificate.issuer) continue;
    try {
      if (await certificate.verify({ publicKey: anchor.publicKey, signatureOnly: true })) return true;
    } catch {
      // A key of another algorithm: not this anchor.
    }
  }
  return false;
}

const validNow = (certificate: x509.X509Certificate, now: Date) => certificate.notBefore <= now && now < certificate.notAfter;
const daysLeft = (certificate: x509.X509Certificate, now: Date) => (certificate.notAfter.getTime() - now.getTime()) / DAY_MS;

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive and of full length
  return bytes.toString('hex');
}

async function signingKeyFrom(pkcs8Pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pkcs8Pem).export({ type: 'pkcs8', format: 'der' });
  return globalThis.crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

function pkcs8Pem(key: CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

function sec1Pem(key: NodeKeyObject): string {
  return key.export({ type: 'sec1', format: 'pem' }).toString();
}

/** A self-signed root CA to be Linkerd's trust anchor. */
export async function generateTrustAnchor(validityDays: number, now: Date): Promise<{ certificatePEM: string; keyPEM: string; notAfter: Date }> {
  const keys = await globalThis.crypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${TRUST_ANCHOR_CN}`,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + validityDays * DAY_MS),
    signingAlgorithm: ECDSA_P256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  // The certificate's own date: X.509 keeps whole seconds.
  return { certificatePEM: certificate.toString('pem'), keyPEM: pkcs8Pem(keys.privateKey), notAfter: certificate.notAfter };
}

/**
 * An intermediate CA (path length 0) signed by the trust anchor, valid for `validityDays` but never
 * past the anchor's own expiry.
 */
export async function issueIssuer(
  anchorPEM: string,
  anchorKeyPEM: string,
  validityDays: number,
  now: Date,
): Promise<{ certificatePEM: string; keyPEM: string; notAfter: Date }> {
  const anchor = new x509.X509Certificate(anchorPEM);
  const keys = await globalThis.crypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
  const wanted = now.getTime() + validityDays * DAY_MS;
  const notAfter = new Date(Math.min(wanted, anchor.notAfter.getTime()));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${ISSUER_CN}`,
    issuer: anchor.subject,
    notBefore: new Date(Math.max(now.getTime() - CLOCK_SKEW_MS, anchor.notBefore.getTime())),
    notAfter,
    signingAlgorithm: ECDSA_P256,
    publicKey: keys.publicKey,
    signingKey: await signingKeyFrom(anchorKeyPEM),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(anchor),
    ],
  });
  return { certificatePEM: certificate.toString('pem'), keyPEM: sec1Pem(KeyObject.from(keys.privateKey)), notAfter: certificate.notAfter };
}

function invalidCertificate(field: keyof LinkerdInstallOptions, message: string, remediation: string): PluginError {
  return new PluginError('INVALID_REQUEST', message, {
    field: `options.${field}`,
    probableCause: 'The certificates given for Linkerd\'s identity do not form a usable trust anchor / issuer pair.',
    remediation,
  });
}

/**
 * Checks certificates the user gave: the issuer is a CA, valid now, signed by a given trust anchor,
 * and its key (ECDSA P-256) matches it. The key is returned in SEC1 form, which every linkerd
 * release reads.
 */
export async function validateGivenCertificates(
  given: { trustAnchorPEM: string; issuerCertificatePEM: string; issuerKeyPEM: string },
  now: Date,
): Promise<CertificateRecord> {
  let anchors: x509.X509Certificate[];
  try {
    anchors = parseCertificates(given.trustAnchorPEM);
  } catch (error) {
    throw invalidCertificate('trustAnchorPEM', `trustAnchorPEM holds a certificate that cannot be read: ${(error as Error).message}`, 'Give the PEM text of the root CA certificate(s).');
  }
  if (anchors.length === 0) throw invalidCertificate('trustAnchorPEM', 'trustAnchorPEM holds no PEM "CERTIFICATE" block', 'Give the PEM text of the root CA certificate(s).');
  const usable = anchors.filter((a) => isCa(a) && validNow(a, now));
  if (usable.length === 0) {
    throw invalidCertificate('trustAnchorPEM', `No trust anchor in trustAnchorPEM is a CA valid now (${anchors.map((a) => `${a.subject}: valid ${a.notBefore.toISOString()} to ${a.notAfter.toISOString()}, CA ${isCa(a)}`).join('; ')})`, 'Give a root CA certificate (basicConstraints CA:TRUE) that has not expired.');
  }
  const issuers = (() => {
    try {
      return parseCertificates(given.issuerCertificatePEM);
    } catch (error) {
      throw invalidCertificate('issuerCertificatePEM', `issuerCertificatePEM cannot be read: ${(error as Error).message}`, 'Give the PEM text of the issuer certificate.');
    }
  })();
  const issuer = issuers[0];
  if (!issuer) throw invalidCertificate('issuerCertificatePEM', 'issuerCertificatePEM holds no PEM "CERTIFICATE" block', 'Give the PEM text of the issuer certificate.');
  if (!isCa(issuer)) throw invalidCertificate('issuerCertificatePEM', `The issuer certificate (${issuer.subject}) is not a CA`, 'Create the issuer as an intermediate CA (basicConstraints CA:TRUE, e.g. step certificate create --profile intermediate-ca).');
  if (!validNow(issuer, now)) {
    throw invalidCertificate('issuerCertificatePEM', `The issuer certificate (${issuer.subject}) is not valid now: valid ${issuer.notBefore.toISOString()} to ${issuer.notAfter.toISOString()}`, 'Issue a new issuer certificate from the trust anchor.');
  }
  if (!(await signedByOneOf(issuer, usable))) {
    throw invalidCertificate('issuerCertificatePEM', `The issuer certificate (${issuer.subject}, issued by ${issuer.issuer}) is not signed by the trust anchor given`, 'Give the trust anchor that signed the issuer, or issue the issuer from this trust anchor.');
  }
  let key: NodeKeyObject;
  try {
    key = createPrivateKey(given.issuerKeyPEM);
  } catch (error) {
    throw invalidCertificate('issuerKeyPEM', `issuerKeyPEM cannot be read as an unencrypted private key: ${(error as Error).message}`, 'Give the issuer\'s private key as unencrypted PEM ("EC PRIVATE KEY" or "PRIVATE KEY").');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw invalidCertificate('issuerKeyPEM', `The issuer key is ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''}; Linkerd needs ECDSA P-256`, 'Create the issuer key with ECDSA P-256 (the default of step; openssl ecparam -name prime256v1).');
  }
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!Buffer.from(issuer.publicKey.rawData).equals(publicKey)) {
    throw invalidCertificate('issuerKeyPEM', 'The issuer key does not match the issuer certificate', 'Give the private key the issuer certificate was issued for.');
  }
  const anchorExpiry = Math.max(...usable.map((a) => a.notAfter.getTime()));
  return {
    source: 'given',
    trustAnchorPEM: usable.map((a) => a.toString('pem')).join('\n') + '\n',
    issuerCertificatePEM: issuer.toString('pem') + '\n',
    issuerKeyPEM: sec1Pem(key),
    trustAnchorExpiresAt: new Date(anchorExpiry).toISOString(),
    issuerExpiresAt: issuer.notAfter.toISOString(),
  };
}

/**
 * The certificates for an install: the user's (checked), the kept ones (the issuer re-issued from
 * the kept trust anchor when it expires within {@link ISSUER_RENEWAL_DAYS} days), or new ones.
 */
export async function prepareCertificates(
  kept: CertificateRecord | undefined,
  options: LinkerdInstallOptions,
  validity: { trustAnchorDays: number; issuerDays: number },
  now: Date,
): Promise<PreparedCertificates> {
  if (options.trustAnchorPEM && options.issuerCertificatePEM && options.issuerKeyPEM) {
    const record = await validateGivenCertificates(
      { trustAnchorPEM: options.trustAnchorPEM, issuerCertificatePEM: options.issuerCertificatePEM, issuerKeyPEM: options.issuerKeyPEM },
      now,
    );
    return { record, summary: `Using the given trust anchor and issuer certificate (issuer valid until ${record.issuerExpiresAt})` };
  }
  if (kept) {
    const anchor = parseCertificates(kept.trustAnchorPEM)[0];
    const issuer = parseCertificates(kept.issuerCertificatePEM)[0];
    if (!anchor || !issuer) throw new PluginError('INTERNAL', 'The kept Linkerd certificates cannot be read', { remediation: 'Uninstall Linkerd and install it again.' });
    if (!validNow(anchor, now)) {
      throw new PluginError('PRECONDITION_FAILED', `The kept Linkerd trust anchor expired on ${anchor.notAfter.toISOString()}`, {
        probableCause: 'The trust anchor of this installation is no longer valid; no proxy can be trusted with it.',
        remediation: 'Uninstall Linkerd and install it again (new certificates are generated), or give new certificates in the install options.',
      });
    }
    if (daysLeft(issuer, now) > ISSUER_RENEWAL_DAYS) {
      return { record: kept, summary: `Reusing this installation's certificates (issuer valid until ${kept.issuerExpiresAt})` };
    }
    if (kept.trustAnchorKeyPEM) {
      const renewed = await issueIssuer(kept.trustAnchorPEM, kept.trustAnchorKeyPEM, validity.issuerDays, now);
      return {
        record: { ...kept, issuerCertificatePEM: renewed.certificatePEM, issuerKeyPEM: renewed.keyPEM, issuerExpiresAt: renewed.notAfter.toISOString() },
        summary: `Re-issued the issuer certificate from the kept trust anchor (the old one ${validNow(issuer, now) ? 'expires' : 'expired'} ${issuer.notAfter.toISOString()}; the new one is valid until ${renewed.notAfter.toISOString()})`,
      };
    }
    if (!validNow(issuer, now)) {
      throw new PluginError('PRECONDITION_FAILED', `The issuer certificate given at install expired on ${issuer.notAfter.toISOString()}`, {
        probableCause: 'The certificates were given by the user, so the plugin has no trust-anchor key to renew the issuer with.',
        remediation: 'Give a new issuer certificate and key (with the same trust anchor) in the install options.',
      });
    }
    return {
      record: kept,
      summary: `Reusing the given certificates (issuer valid until ${kept.issuerExpiresAt})`,
      warning: `The issuer certificate expires on ${kept.issuerExpiresAt}, within ${ISSUER_RENEWAL_DAYS} days; give a new one in the install options before then`,
    };
  }
  const anchor = await generateTrustAnchor(validity.trustAnchorDays, now);
  const issuer = await issueIssuer(anchor.certificatePEM, anchor.keyPEM, validity.issuerDays, now);
  return {
    record: {
      source: 'generated',
      trustAnchorPEM: anchor.certificatePEM,
      trustAnchorKeyPEM: anchor.keyPEM,
      issuerCertificatePEM: issuer.certificatePEM,
      issuerKeyPEM: issuer.keyPEM,
      trustAnchorExpiresAt: anchor.notAfter.toISOString(),
      issuerExpiresAt: issuer.notAfter.toISOString(),
    },
    summary: `Generated a trust anchor (ECDSA P-256, CN ${TRUST_ANCHOR_CN}, valid until ${anchor.notAfter.toISOString()}) and an issuer certificate (CN ${ISSUER_CN}, valid until ${issuer.notAfter.toISOString()})`,
  };
}

/** The facts status checks need about an issuer certificate, in words. */
export async function inspectIssuer(
  issuerPEM: string,
  anchorsPEM: string,
  now: Date,
  warnDays: number,
): Promise<{ healthy: boolean; message: string }> {
  let issuer: x509.X509Certificate | undefined;
  let anchors: x509.X509Certificate[];
  try {
    issuer = parseCertificates(issuerPEM)[0];
    anchors = parseCertificates(anchorsPEM);
  } catch (error) {
    return { healthy: false, message: `cannot be read: ${(error as Error).message}` };
  }
  if (!issuer) return { healthy: false, message: 'holds no PEM certificate' };
  if (!validNow(issuer, now)) return { healthy: false, message: `is not valid now (valid ${issuer.notBefore.toISOString()} to ${issuer.notAfter.toISOString()})` };
  if (!isCa(issuer)) return { healthy: false, message: `${issuer.subject} is not a CA certificate` };
  if (!(await signedByOneOf(issuer, anchors))) return { healthy: false, message: `${issuer.subject} is not signed by the trust anchor in linkerd-identity-trust-roots` };
  const left = daysLeft(issuer, now);
  if (left < warnDays) return { healthy: false, message: `${issuer.subject} expires on ${issuer.notAfter.toISOString()}, in ${Math.floor(left)} days (less than ${warnDays})` };
  return { healthy: true, message: `${issuer.subject} is valid until ${issuer.notAfter.toISOString()} and signed by the trust anchor` };
}
