import { describe, expect, it } from 'vitest';
import { parseInstallOptions, setArguments } from './install-options.js';

const failure = (options: Record<string, unknown>) => {
  try {
    parseInstallOptions(options);
  } catch (error) {
    return error as { code: string; field?: string; message: string };
  }
  throw new Error('expected INVALID_REQUEST');
};

describe('Istio install options', () => {
  it('accepts set paths with scalar values and a readiness timeout', () => {
    const options = parseInstallOptions({ set: { 'values.pilot.traceSampling': 10, 'meshConfig.accessLogFile': '/dev/stdout', 'components.ingressGateways[0].enabled': true }, readinessTimeoutSeconds: 60 });
    expect(options.readinessTimeoutSeconds).toBe(60);
    expect(setArguments(options)).toEqual([
      '--set', 'components.ingressGateways[0].enabled=true',
      '--set', 'meshConfig.accessLogFile=/dev/stdout',
      '--set', 'values.pilot.traceSampling=10',
    ]);
    expect(parseInstallOptions(undefined)).toEqual({ set: {} });
  });

  it('names the option at fault', () => {
    expect(failure({ profile: 'demo' })).toMatchObject({ code: 'INVALID_REQUEST', field: 'options.profile' });
    expect(failure({ set: ['a=b'] })).toMatchObject({ field: 'options.set' });
    expect(failure({ set: { 'a b': 1 } })).toMatchObject({ field: 'options.set.a b' });
    expect(failure({ set: { profile: 'demo' } })).toMatchObject({ field: 'options.set.profile', message: expect.stringMatching(/default profile/) });
    expect(failure({ set: { revision: 'canary' } })).toMatchObject({ field: 'options.set.revision' });
    expect(failure({ set: { 'values.global.istioNamespace': 'mesh' } })).toMatchObject({ field: 'options.set.values.global.istioNamespace' });
    expect(failure({ set: { 'meshConfig.extensionProviders': [] } })).toMatchObject({ field: 'options.set.meshConfig.extensionProviders', message: expect.stringMatching(/not an array/) });
    expect(failure({ set: { 'meshConfig.accessLogFile': 'a\n--set=x' } })).toMatchObject({ field: 'options.set.meshConfig.accessLogFile' });
    expect(failure({ readinessTimeoutSeconds: 0 })).toMatchObject({ field: 'options.readinessTimeoutSeconds' });
    expect(failure({ readinessTimeoutSeconds: 1.5 })).toMatchObject({ field: 'options.readinessTimeoutSeconds' });
  });
});
