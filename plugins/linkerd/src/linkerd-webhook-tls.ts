import * as x509 from '@peculiar/x509';
import { parse } from 'yaml';
import { renderedObjects, type RenderedObject } from './linkerd-manifests.js';

/**
 * The control plane's three admission webhooks. `linkerd install` (the linkerd-control-plane
 * chart) generates a new self-signed serving certificate for each on every run
 * (`genSelfSignedCert`), puts it in a Secret and its CA in the webhook configuration's `caBundle`.
 * Rendering again for a converge would replace all three and roll the control plane out, with a
 * window where the API server's `caBundle` and the served certificate differ. The chart values
 * named here (so named in the linkerd-control-plane chart from before stable-2.14 through the
 * 2.16/2.17 edge releases) let the first install's material be given back: `<key>.externalSecret: true` leaves the Secret out of the rendering and
 * `<key>.caBundle` is used as the webhook's CA; the plugin then applies the Secret it kept.
 */
export const WEBHOOKS = [
  {
    valuesKey: 'proxyInjector',
    description: 'proxy injector',
    secretName: 'linkerd-proxy-injector-k8s-tls',
    configurationKind: 'MutatingWebhookConfiguration',
    configurationName: 'linkerd-proxy-injector-webhook-config',
  },
  {
    valuesKey: 'profileValidator',
    description: 'service profile validator',
    secretName: 'linkerd-sp-validator-k8s-tls',
    configurationKind: 'ValidatingWebhookConfiguration',
    configurationName: 'linkerd-sp-validator-webhook-config',
  },
  {
    valuesKey: 'policyValidator',
    description: 'policy validator',
    secretName: 'linkerd-policy-validator-k8s-tls',
    configurationKind: 'ValidatingWebhookConfiguration',
    configurationName: 'linkerd-policy-validator-webhook-config',
  },
] as const;

export type WebhookValuesKey = (typeof WEBHOOKS)[number]['valuesKey'];

/** The serving certificate of one webhook, as the first install rendered it. */
export interface KeptWebhookTls {
  readonly valuesKey: WebhookValuesKey;
  /** The Secret (`kubernetes.io/tls`, certificate and key) exactly as `linkerd install` printed it. */
  readonly secretManifest: string;
  /** The webhook configuration's CA bundle, PEM (the self-signed certificate itself). */
  readonly caBundlePEM: string;
  /** When the certificate expires (the chart makes them valid for 365 days), when it can be read. */
  readonly notAfter?: string;
}

/** `webhook-certificates/<contextId>`: the webhook serving certificates of an installation. */
export interface WebhookTlsRecord {
  readonly version: string;
  readonly webhooks: readonly KeptWebhookTls[];
}

/** Webhook certificates expiring this soon are not reused: the next install generates new ones. */
export const WEBHOOK_RENEWAL_DAYS = 30;
const DAY_MS = 86_400_000;

type Obj = Record<string, any>;

const decode = (value: unknown) => (typeof value === 'string' && value ? Buffer.from(value, 'base64').toString('utf8') : undefined);

function caBundlesOf(configuration: Obj | undefined): (string | undefined)[] {
  const hooks: Obj[] = Array.isArray(configuration?.['webhooks']) ? configuration['webhooks'] : [];
  return hooks.map((hook) => decode(hook?.['clientConfig']?.['caBundle']));
}

function find(objects: readonly RenderedObject[], kind: string, name: string): RenderedObject | undefined {
  return objects.find((o) => o.kind === kind && o.name === name);
}

/**
 * The webhook serving certificates `linkerd install` generated in this rendering: for each webhook
 * whose Secret and configuration are there with one CA bundle. A webhook rendered otherwise (an
 * external secret, cert-manager injection) is left as the CLI renders it.
 */
export function extractWebhookTls(objects: readonly RenderedObject[], version: string): WebhookTlsRecord {
  const webhooks: KeptWebhookTls[] = [];
  for (const webhook of WEBHOOKS) {
    const secret = find(objects, 'Secret', webhook.secretName);
    const configuration = find(objects, webhook.configurationKind, webhook.configurationName);
    if (!secret || !configuration) continue;
    const bundles = caBundlesOf(parse(configuration.text) as Obj);
    const caBundlePEM = bundles[0];
    if (!caBundlePEM || bundles.some((b) => b !== caBundlePEM)) continue;
    const crt = decode((parse(secret.text) as Obj)?.['data']?.['tls.crt']);
    if (!crt || !decode((parse(secret.text) as Obj)?.['data']?.['tls.key'])) continue;
    let notAfter: string | undefined;
    try {
      notAfter = new x509.X509Certificate(crt).notAfter.toISOString();
    } catch {
      // Unreadable: kept all the same; only its renewal date is unknown.
    }
    webhooks.push({ valuesKey: webhook.valuesKey, secretManifest: secret.text, caBundlePEM, ...(notAfter ? { notAfter } : {}) });
  }
  return { version, webhooks };
}

/** The kept certificates that expire within {@link WEBHOOK_RENEWAL_DAYS} of `now`. */
export function expiringWebhooks(record: WebhookTlsRecord, now: Date): KeptWebhookTls[] {
  return record.webhooks.filter((w) => w.notAfter !== undefined && new Date(w.notAfter).getTime() - now.getTime() < WEBHOOK_RENEWAL_DAYS * DAY_MS);
}

/**
 * The values file given to `linkerd install --values`: for each kept webhook, no Secret rendered
 * (`externalSecret`) and the kept CA bundle. JSON, which is YAML too, so the CLI reads it as is.
 */
export function webhookValues(record: WebhookTlsRecord): string {
  return `${JSON.stringify(Object.fromEntries(record.webhooks.map((w) => [w.valuesKey, { externalSecret: true, caBundle: w.caBundlePEM }])), null, 2)}\n`;
}

export const describeWebhooks = (record: WebhookTlsRecord) =>
  record.webhooks.map((w) => WEBHOOKS.find((d) => d.valuesKey === w.valuesKey)!.description).join(', ');

/**
 * The rendering made with {@link webhookValues}, with the kept Secrets put back, once checked that
 * the CLI honoured the values: no Secret rendered for a kept webhook, and the kept CA bundle in its
 * configuration. Otherwise (a release whose chart reads these values otherwise) the reason, for the
 * caller to fall back to a plain rendering with new certificates.
 */
export function withKeptWebhookSecrets(objects: readonly RenderedObject[], record: WebhookTlsRecord): { objects: RenderedObject[] } | { problem: string } {
  const secrets: RenderedObject[] = [];
  for (const kept of record.webhooks) {
    const webhook = WEBHOOKS.find((w) => w.valuesKey === kept.valuesKey)!;
    const configuration = find(objects, webhook.configurationKind, webhook.configurationName);
    const bundles = configuration ? caBundlesOf(parse(configuration.text) as Obj) : [];
    if (find(objects, 'Secret', webhook.secretName)) {
      return { problem: `it rendered Secret ${webhook.secretName} despite ${webhook.valuesKey}.externalSecret` };
    }
    if (bundles.length === 0 || !bundles.every((b) => b?.trim() === kept.caBundlePEM.trim())) {
      return { problem: `${webhook.configurationName} does not carry the CA bundle given in ${webhook.valuesKey}.caBundle` };
    }
    secrets.push(...renderedObjects(kept.secretManifest, 'kept webhook Secret'));
  }
  return { objects: [...objects, ...secrets] };
}
