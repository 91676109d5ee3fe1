import { describe, expect, it } from 'vitest';
import type { OperationEvent } from '../api/types.ts';
import { appliedObjects, eventAppearance, isInstallOf, mergeEvents, meshHealth, namespaceProblem, operationOutcome, parseInstallOptions } from './meshes.ts';

const event = (seq: number, type: string, extra: Partial<OperationEvent> = {}): OperationEvent => ({
  operationId: 'op',
  seq,
  at: '2026-01-01T00:00:00Z',
  type,
  summary: `${type} ${seq}`,
  ...extra,
});

describe('namespace names', () => {
  it('accepts DNS labels and says what is wrong with anything else', () => {
    expect(namespaceProblem('bookinfo')).toBeNull();
    expect(namespaceProblem('team-a-1')).toBeNull();
    expect(namespaceProblem('a'.repeat(63))).toBeNull();
    expect(namespaceProblem('')).toMatch(/Enter a namespace/);
    expect(namespaceProblem('Demo')).toMatch(/lower-case/);
    expect(namespaceProblem('-demo')).toMatch(/Start and end/);
    expect(namespaceProblem('demo_ns')).toMatch(/DNS label/);
    expect(namespaceProblem('a.b')).toMatch(/DNS label/);
    expect(namespaceProblem('a'.repeat(64))).toMatch(/At most 63/);
  });
});

describe('install options', () => {
  it('reads JSON and YAML mappings; empty means none', () => {
    expect(parseInstallOptions('')).toEqual({ ok: true, options: undefined });
    expect(parseInstallOptions('  \n')).toEqual({ ok: true, options: undefined });
    expect(parseInstallOptions('{"profile": "demo", "replicas": 2}')).toEqual({ ok: true, options: { profile: 'demo', replicas: 2 } });
    expect(parseInstallOptions('profile: demo\nset:\n  meshConfig.accessLogFile: /dev/stdout\n')).toEqual({
      ok: true,
      options: { profile: 'demo', set: { 'meshConfig.accessLogFile': '/dev/stdout' } },
    });
  });

  it('refuses what is not a mapping, naming the problem', () => {
    const broken = parseInstallOptions('{ "profile": ');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.error).toMatch(/Not valid JSON or YAML/);
    const list = parseInstallOptions('- a\n- b');
    expect(!list.ok && list.error).toMatch(/mapping.*a list/);
    const scalar = parseInstallOptions('demo');
    expect(!scalar.ok && scalar.error).toMatch(/a string/);
    const duplicate = parseInstallOptions('a: 1\na: 2');
    expect(duplicate.ok).toBe(false);
    expect(parseInstallOptions('x'.repeat(70_000)).ok).toBe(false);
  });
});

describe('operation events', () => {
  it('merges replayed events by sequence number, in order', () => {
    const merged = mergeEvents([event(1, 'step'), event(2, 'created')], [event(2, 'created'), event(3, 'done'), event(1, 'step')]);
    expect(merged.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('tells the outcome from the stored status, or from the final event before it is stored', () => {
    expect(operationOutcome({ status: 'RUNNING' }, [event(1, 'step')]).status).toBe('RUNNING');
    expect(operationOutcome({ status: 'RUNNING' }, [event(1, 'done')]).status).toBe('SUCCEEDED');
    const failed = operationOutcome({ status: 'RUNNING' }, [event(1, 'failed', { error: { code: 'TIMEOUT', message: 'slow' } })]);
    expect(failed).toEqual({ status: 'FAILED', error: { code: 'TIMEOUT', message: 'slow' } });
    expect(operationOutcome({ status: 'RUNNING' }, [event(1, 'failed', { error: { code: 'CANCELLED', message: 'x' } })]).status).toBe('CANCELLED');
    // A server restart ends an operation as interrupted without a final event.
    expect(operationOutcome({ status: 'INTERRUPTED', error: { code: 'CANCELLED', message: 'stopped' } }, [event(1, 'step')]).status).toBe('INTERRUPTED');
    expect(operationOutcome(undefined, []).status).toBeUndefined();
  });

  it('shows the final event of a cancelled operation as cancelled, not failed', () => {
    expect(eventAppearance('failed').label).toBe('failed');
    expect(eventAppearance('failed', 'CANCELLED')).toMatchObject({ label: 'cancelled', tone: 'warning' });
    expect(eventAppearance('something-new')).toMatchObject({ label: 'something-new', tone: 'neutral' });
  });

  it('lists the objects an install applied, each once', () => {
    const object = (kind: string, name: string, namespace?: string) => ({ apiVersion: 'v1', kind, name, namespace: namespace ?? null });
    const objects = appliedObjects([
      event(1, 'step'),
      event(2, 'created', { object: object('Namespace', 'fixture-system') }),
      event(3, 'created', { object: object('Deployment', 'cp', 'fixture-system') }),
      event(4, 'waiting', { object: object('Deployment', 'cp', 'fixture-system') }),
      event(5, 'ready', { object: object('Deployment', 'cp', 'fixture-system') }),
      event(6, 'unchanged', { object: object('ConfigMap', 'cfg', 'fixture-system') }),
    ]);
    expect(objects.map((o) => `${o.kind}/${o.name}`)).toEqual(['Namespace/fixture-system', 'Deployment/cp', 'ConfigMap/cfg']);
  });

  it('recognizes the installation of a mesh by its summary', () => {
    expect(isInstallOf({ kind: 'install-mesh', summary: 'Install Istio' }, 'Istio')).toBe(true);
    expect(isInstallOf({ kind: 'install-mesh', summary: 'Install Istio 1.24.0' }, 'Istio')).toBe(true);
    expect(isInstallOf({ kind: 'install-mesh', summary: 'Install Istio Ambient 1.0' }, 'Istio')).toBe(false);
    expect(isInstallOf({ kind: 'uninstall-mesh', summary: 'Install Istio' }, 'Istio')).toBe(false);
  });
});

describe('mesh health', () => {
  it('is one word for badges', () => {
    expect(meshHealth({ installed: false, healthy: false })).toBe('not-installed');
    expect(meshHealth({ installed: true, healthy: true })).toBe('healthy');
    expect(meshHealth({ installed: true, healthy: false })).toBe('unhealthy');
    expect(meshHealth({ installed: false, healthy: false, error: { code: 'CLUSTER_UNREACHABLE', message: 'x' } })).toBe('unknown');
  });
});
