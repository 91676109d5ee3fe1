import { PluginError, type KubernetesService } from '@meshery/plugin-api';
import { describeObject, isIstioGroup, manifestCrds, manifestDocuments, servedVersionsOf, type ManifestCrd } from './istio-manifest.js';

/**
 * What the cluster already holds that an install must leave alone: Istio CRDs someone else put
 * there, and the fields of Istio's webhook configurations that istiod takes over at run time.
 */

type Plain = Record<string, unknown>;

const CRD_API_VERSION = 'apiextensions.k8s.io/v1';

/** The Istio CRDs of a manifest that exist already and are to stay out of the installation. */
export interface PreexistingCrds {
  /** Their names, in manifest order. */
  readonly names: readonly string[];
  /** Recorded by an earlier run as pre-existing but gone now: installed (and owned) from now on. */
  readonly vanished: readonly string[];
}

/**
 * The `*.istio.io` CRDs of the manifest that already exist in the cluster. On the first install
 * (`recorded` undefined) every one is looked up; when converging, only those the first install
 * recorded as pre-existing (the others exist because this plugin applied them). Refuses with
 * `PRECONDITION_FAILED`, naming them, when existing CRDs do not serve every version the release's
 * CRDs serve.
 */
export async function findPreexistingCrds(
  kube: KubernetesService,
  contextId: string,
  manifest: string,
  version: string,
  recorded: readonly string[] | undefined,
): Promise<PreexistingCrds> {
  const istioCrds = manifestCrds(manifest).filter((crd) => isIstioGroup(crd.group));
  const candidates = recorded ? istioCrds.filter((crd) => recorded.includes(crd.name)) : istioCrds;
  const live = await Promise.all(candidates.map((crd) => kube.get(contextId, { apiVersion: CRD_API_VERSION, kind: 'CustomResourceDefinition', name: crd.name })));
  const existing: { crd: ManifestCrd; served: string[] }[] = [];
  const vanished: string[] = [];
  candidates.forEach((crd, i) => {
    const object = live[i];
    if (object) existing.push({ crd, served: servedVersionsOf(object) });
    else vanished.push(crd.name);
  });
  const lacking = existing.filter(({ crd, served }) => crd.servedVersions.some((v) => !served.includes(v)));
  if (lacking.length > 0) {
    const names = lacking.map(({ crd }) => crd.name);
    throw new PluginError(
      'PRECONDITION_FAILED',
      `Istio CRDs that were in the cluster before Meshery's install do not serve the versions Istio ${version} needs: ${lacking
        .map(({ crd, served }) => `${crd.name} serves ${served.join(', ') || 'nothing'}, needs ${crd.servedVersions.join(', ')}`)
        .join('; ')}; nothing was applied`,
      {
        probableCause: 'They belong to an older Istio release (left behind by helm uninstall, which keeps CRDs, or installed by another tool). Meshery does not take over or change CRDs it did not create.',
        remediation: `Upgrade them to Istio ${version}'s CRDs with the tool that installed them (e.g. helm upgrade istio-base istio/base --version ${version} -n istio-system), or, if nothing uses them, delete them — this deletes every object of those kinds in the cluster — with kubectl delete crd ${names.join(' ')}, then install again.`,
      },
    );
  }
  return { names: existing.map(({ crd }) => crd.name), vanished: recorded ? vanished : [] };
}

/** The fields of webhook configurations istiod writes at run time, relative to one webhook. */
export const ISTIOD_OWNED_WEBHOOK_FIELDS: Readonly<Record<string, readonly (readonly string[])[]>> = Object.freeze({
  // istiod's validation webhook controller patches its CA in and, once it serves, turns
  // failurePolicy from the chart's Ignore to Fail.
  ValidatingWebhookConfiguration: [['failurePolicy'], ['clientConfig', 'caBundle']],
  // istiod patches its CA into the sidecar injector.
  MutatingWebhookConfiguration: [['clientConfig', 'caBundle']],
});

function at(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Plain)[key];
  }
  return node;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A field left out of an apply because the live object holds another value. */
export interface FieldLeftOut {
  readonly kind: string;
  readonly name: string;
  readonly webhook: string;
  readonly field: string;
  readonly live: unknown;
  /** Its path in the manifest document. */
  readonly path: readonly (string | number)[];
}

/**
 * The fields istiod owns at run time that the live webhook configurations hold with another value
 * than the manifest: applying them again would, without force, conflict with istiod's field
 * manager, and with force undo what istiod did (e.g. validation failing open again with
 * failurePolicy Ignore). Left out of the apply, they stay as istiod set them; fields still equal
 * to the manifest stay in it (so a webhook istiod has not touched yet keeps the chart's values).
 */
export async function istiodOwnedFieldsToLeaveOut(kube: KubernetesService, contextId: string, manifest: string): Promise<FieldLeftOut[]> {
  const out: FieldLeftOut[] = [];
  const documents = manifestDocuments(manifest, 'The generated manifest').filter(
    (object) => String(object['apiVersion']).startsWith('admissionregistration.k8s.io/') && ISTIOD_OWNED_WEBHOOK_FIELDS[String(object['kind'])] !== undefined,
  );
  const lives = await Promise.all(documents.map((object) => kube.get(contextId, describeObject(object))));
  documents.forEach((object, d) => {
    const live = lives[d];
    if (!live) return;
    const { kind, name } = describeObject(object);
    const liveHooks = (Array.isArray(live['webhooks']) ? live['webhooks'] : []) as Plain[];
    const hooks = (Array.isArray(object['webhooks']) ? object['webhooks'] : []) as Plain[];
    hooks.forEach((hook, i) => {
      const webhook = String(hook['name'] ?? '');
      const liveHook = liveHooks.find((candidate) => candidate['name'] === webhook);
      if (!liveHook) return;
      for (const field of ISTIOD_OWNED_WEBHOOK_FIELDS[kind]!) {
        const wanted = at(hook, field);
        const current = at(liveHook, field);
        if (wanted === undefined || current === undefined || same(wanted, current)) continue;
        out.push({ kind, name, webhook, field: field.join('.'), live: current, path: ['webhooks', i, ...field] });
      }
    });
  });
  return out;
}
