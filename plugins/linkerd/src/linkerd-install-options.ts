import { PluginError } from '@meshery/plugin-api';

/**
 * The per-install options a user may give (`MeshInstallRequest.options`). Certificates are given
 * all three or not at all; validity periods only apply to certificates the plugin generates.
 */
export interface LinkerdInstallOptions {
  /** PEM of the trust anchor(s) (root CA certificates). */
  readonly trustAnchorPEM?: string;
  /** PEM of the issuer (intermediate CA) certificate, signed by a trust anchor. */
  readonly issuerCertificatePEM?: string;
  /** PEM of the issuer's private key (ECDSA P-256, SEC1 "EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY"). */
  readonly issuerKeyPEM?: string;
  /** Validity of a generated trust anchor, in days (overrides the configuration). */
  readonly trustAnchorValidityDays?: number;
  /** Validity of a generated issuer certificate, in days (overrides the configuration). */
  readonly issuerValidityDays?: number;
}

const STRING_OPTIONS = ['trustAnchorPEM', 'issuerCertificatePEM', 'issuerKeyPEM'] as const;
const DAY_OPTIONS = ['trustAnchorValidityDays', 'issuerValidityDays'] as const;
/** A hundred years: longer than any sensible certificate. */
const MAX_DAYS = 36_500;

function invalid(option: string, message: string, remediation: string): PluginError {
  return new PluginError('INVALID_REQUEST', message, {
    field: `options.${option}`,
    probableCause: `The install option "${option}" is not valid.`,
    remediation,
  });
}

/** Checks the user's options: unknown keys, wrong types and half-given certificates are refused. */
export function parseInstallOptions(options: Readonly<Record<string, unknown>> | undefined): LinkerdInstallOptions {
  const given = options ?? {};
  const known: readonly string[] = [...STRING_OPTIONS, ...DAY_OPTIONS];
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw invalid(key, `Unknown install option "${key}"`, `Remove it; Linkerd install options are: ${known.join(', ')}.`);
    }
  }
  const parsed: Record<string, unknown> = {};
  for (const key of STRING_OPTIONS) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw invalid(key, `Install option "${key}" must be a non-empty PEM string`, `Give the PEM text of the ${key.replace(/PEM$/, '')}.`);
    }
    parsed[key] = value;
  }
  for (const key of DAY_OPTIONS) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_DAYS) {
      throw invalid(key, `Install option "${key}" must be a whole number of days between 1 and ${MAX_DAYS}`, `Give e.g. ${key === 'issuerValidityDays' ? 365 : 3650}.`);
    }
    parsed[key] = value;
  }
  const present = STRING_OPTIONS.filter((key) => parsed[key] !== undefined);
  if (present.length > 0 && present.length < STRING_OPTIONS.length) {
    const missing = STRING_OPTIONS.filter((key) => parsed[key] === undefined);
    throw invalid(missing[0]!, `Certificates must be given all three or not at all; missing: ${missing.join(', ')}`, 'Give trustAnchorPEM, issuerCertificatePEM and issuerKeyPEM together, or none of them to let the plugin generate them.');
  }
  return parsed as LinkerdInstallOptions;
}
