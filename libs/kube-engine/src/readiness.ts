/** Whether an object is ready, and why not. */
export interface Readiness {
  readonly ready: boolean;
  /** Set when the object can never become ready (e.g. a failed Job). */
  readonly failed?: boolean;
  readonly message: string;
}

type Condition = { type?: string; status?: string; reason?: string; message?: string };

const condition = (object: any, type: string): Condition | undefined =>
  (object?.status?.conditions as Condition[] | undefined)?.find((c) => c.type === type);

/** Kinds the engine waits for after applying them. */
export const WAITED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CustomResourceDefinition']);

/** Readiness of a Deployment, StatefulSet, DaemonSet, Job or CustomResourceDefinition. */
export function readinessOf(object: any): Readiness {
  const status = object?.status ?? {};
  const generation = object?.metadata?.generation;
  const observed = status.observedGeneration;
  const stale = generation !== undefined && observed !== undefined && observed < generation;
  switch (object?.kind) {
    case 'Deployment': {
      const wanted = object.spec?.replicas ?? 1;
      const available = status.availableReplicas ?? 0;
      const updated = status.updatedReplicas ?? 0;
      const progressing = condition(object, 'Progressing');
      if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
        return { ready: false, failed: true, message: `progress deadline exceeded: ${progressing.message ?? ''}`.trim() };
      }
      const ready = !stale && available >= wanted && updated >= wanted && condition(object, 'Available')?.status === 'True';
      return { ready, message: `${available}/${wanted} replicas available, ${updated} updated${stale ? ', not observed yet' : ''}` };
    }
    case 'StatefulSet': {
      const wanted = object.spec?.replicas ?? 1;
      const ready = status.readyReplicas ?? 0;
      return { ready: !stale && ready >= wanted, message: `${ready}/${wanted} replicas ready${stale ? ', not observed yet' : ''}` };
    }
    case 'DaemonSet': {
      const wanted = status.desiredNumberScheduled ?? 0;
      const ready = status.numberReady ?? 0;
      const updated = status.updatedNumberScheduled ?? 0;
      const observedYet = observed !== undefined && !stale;
      return { ready: observedYet && ready >= wanted && updated >= wanted, message: `${ready}/${wanted} pods ready` };
    }
    case 'Job': {
      if (condition(object, 'Failed')?.status === 'True') {
        return { ready: false, failed: true, message: `failed: ${condition(object, 'Failed')?.message ?? 'see its pods'}` };
      }
      const complete = condition(object, 'Complete')?.status === 'True';
      return { ready: complete, message: complete ? 'complete' : `${status.succeeded ?? 0} succeeded, ${status.active ?? 0} active` };
    }
    case 'CustomResourceDefinition': {
      const established = condition(object, 'Established');
      const names = condition(object, 'NamesAccepted');
      if (names?.status === 'False') return { ready: false, failed: true, message: `names not accepted: ${names.message ?? ''}` };
      return { ready: established?.status === 'True', message: established?.status === 'True' ? 'established' : 'not established yet' };
    }
    default:
      return { ready: true, message: 'no readiness check' };
  }
}

/** The conditions of an object, one per line, for timeout reports. */
export function describeConditions(object: any): string[] {
  return ((object?.status?.conditions as Condition[] | undefined) ?? []).map(
    (c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`,
  );
}
