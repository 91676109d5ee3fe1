import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';

describe('label selectors', () => {
  const labels = { env: 'prod', tier: 'web', n: '5' };
  const match = (s: string, l: Record<string, string> = labels): boolean => matchesLabels(parseLabelSelector(s), l);

  it('implements every operator of labels.Parse', () => {
    expect(match('')).toBe(true);
    expect(match('env=prod')).toBe(true);
    expect(match('env==prod')).toBe(true);
    expect(match('env!=prod')).toBe(false);
    expect(match('missing!=x')).toBe(true);
    expect(match('env in (dev, prod)')).toBe(true);
    expect(match('env in (dev)')).toBe(false);
    expect(match('env notin (dev)')).toBe(true);
    expect(match('missing notin (dev)')).toBe(true);
    expect(match('tier')).toBe(true);
    expect(match('!tier')).toBe(false);
    expect(match('!missing')).toBe(true);
    expect(match('n>3,n<6')).toBe(true);
    expect(match('env=prod, tier in (web,api), !missing')).toBe(true);
    expect(match('empty=', { empty: '' })).toBe(true);
  });

  it('rejects malformed selectors with a 400', () => {
    for (const bad of ['env in dev', 'env=(', 'in (a)', '=x', 'env in (a', 'bad key=x']) {
      expect(() => parseLabelSelector(bad), bad).toThrow(ApiError);
      try {
        parseLabelSelector(bad);
      } catch (e) {
        expect((e as ApiError).code).toBe(400);
      }
    }
  });
});

describe('field selectors', () => {
  it('parses =, == and != with escapes', () => {
    expect(parseFieldSelector('metadata.name=a,metadata.namespace!=b,spec.x==c')).toEqual([
      { field: 'metadata.name', op: '=', value: 'a' },
      { field: 'metadata.namespace', op: '!=', value: 'b' },
      { field: 'spec.x', op: '=', value: 'c' },
    ]);
    expect(parseFieldSelector('metadata.name=a\\,b')).toEqual([{ field: 'metadata.name', op: '=', value: 'a,b' }]);
    expect(matchesFields(parseFieldSelector('metadata.name=a,metadata.namespace!=b'), { 'metadata.name': 'a', 'metadata.namespace': 'c' })).toBe(true);
    expect(() => parseFieldSelector('nonsense')).toThrow(ApiError);
  });
});
