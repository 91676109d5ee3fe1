import { describe, expect, it } from 'vitest';
import {
  PLUGIN_ERROR_CODES,
  PluginError,
  isSerializedPluginError,
  type SerializedPluginError,
} from './errors.js';

describe('PluginError', () => {
  it('is an Error with a code and the details a user acts on', () => {
    const error = new PluginError('INVALID_REQUEST', 'Duration must be at least 1 second', {
      field: 'durationSeconds',
      probableCause: 'A duration of 0 was given.',
      remediation: 'Set durationSeconds to 1 or more.',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PluginError');
    expect(error.message).toBe('Duration must be at least 1 second');
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.field).toBe('durationSeconds');
    expect(error.probableCause).toBe('A duration of 0 was given.');
    expect(error.remediation).toBe('Set durationSeconds to 1 or more.');
    expect(error.stack).toContain('Duration must be at least 1 second');
  });

  it('toJSON gives the plain-data form with only the details that were set', () => {
    expect(new PluginError('TIMEOUT', 'Took too long').toJSON()).toEqual({
      name: 'PluginError',
      code: 'TIMEOUT',
      message: 'Took too long',
    });
    const json = new PluginError('CLUSTER_UNREACHABLE', 'No API server', { remediation: 'Check the kubeconfig.' }).toJSON();
    expect(json).toEqual({
      name: 'PluginError',
      code: 'CLUSTER_UNREACHABLE',
      message: 'No API server',
      remediation: 'Check the kubeconfig.',
    });
    expect(Object.keys(json)).not.toContain('field');
  });

  it('survives JSON text and structured cloning (a worker boundary) unchanged', () => {
    const original = new PluginError('PRECONDITION_FAILED', 'Istio is already installed', {
      probableCause: 'An earlier install finished.',
      remediation: 'Uninstall it first.',
      field: 'mesh',
    });
    const viaText = PluginError.fromJSON(JSON.parse(JSON.stringify(original)) as SerializedPluginError);
    const viaClone = PluginError.fromJSON(structuredClone(original.toJSON()));
    for (const copy of [viaText, viaClone]) {
      expect(copy).toBeInstanceOf(PluginError);
      expect(copy.toJSON()).toEqual(original.toJSON());
    }
  });

  it.each(PLUGIN_ERROR_CODES.map((code) => [code]))('round-trips code %s', (code) => {
    const copy = PluginError.fromJSON(new PluginError(code, 'm').toJSON());
    expect(copy.code).toBe(code);
  });

  describe('from', () => {
    it('keeps a PluginError as it is', () => {
      const error = new PluginError('CANCELLED', 'Cancelled');
      expect(PluginError.from(error)).toBe(error);
    });

    it('rebuilds a PluginError from its plain-data form', () => {
      const error = PluginError.from({ name: 'PluginError', code: 'TIMEOUT', message: 'slow', field: 'url' });
      expect(error).toBeInstanceOf(PluginError);
      expect(error.code).toBe('TIMEOUT');
      expect(error.field).toBe('url');
    });

    it('turns any other Error into INTERNAL, keeping its message and telling the user what to do', () => {
      const error = PluginError.from(new TypeError('cannot read properties of undefined'));
      expect(error).toBeInstanceOf(PluginError);
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toBe('cannot read properties of undefined');
      expect(error.probableCause).toMatch(/unexpected/i);
      expect(error.remediation).toMatch(/server log/);
    });

    it('turns thrown non-errors into INTERNAL with their text', () => {
      expect(PluginError.from('plain string').message).toBe('plain string');
      expect(PluginError.from(42).code).toBe('INTERNAL');
      expect(PluginError.from(undefined).message).toBe('undefined');
    });

    it('does not trust a lookalike with an unknown code', () => {
      const error = PluginError.from({ name: 'PluginError', code: 'EVERYTHING_IS_FINE', message: 'hm' });
      expect(error.code).toBe('INTERNAL');
    });
  });
});

describe('isSerializedPluginError', () => {
  it('accepts the plain-data form', () => {
    expect(isSerializedPluginError(new PluginError('INTERNAL', 'x').toJSON())).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'PluginError'],
    ['a plain Error', new Error('x')],
    ['a wrong name', { name: 'Error', code: 'INTERNAL', message: 'x' }],
    ['an unknown code', { name: 'PluginError', code: 'NOPE', message: 'x' }],
    ['a missing message', { name: 'PluginError', code: 'INTERNAL' }],
  ])('refuses %s', (_what, value) => {
    expect(isSerializedPluginError(value)).toBe(false);
  });
});

describe('PLUGIN_ERROR_CODES', () => {
  it('is the closed, frozen set of codes clients branch on', () => {
    expect(PLUGIN_ERROR_CODES).toEqual([
      'INVALID_REQUEST',
      'UNSUPPORTED_VERSION',
      'CLUSTER_UNREACHABLE',
      'PRECONDITION_FAILED',
      'TIMEOUT',
      'CANCELLED',
      'INTERNAL',
    ]);
    expect(Object.isFrozen(PLUGIN_ERROR_CODES)).toBe(true);
  });
});
