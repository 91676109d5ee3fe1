import { describe, expect, it } from 'vitest';
import { formatHeaders, formatLabels, parseHeaders, parseLabels, parseNumber } from './forms.ts';

describe('form parsing', () => {
  it('reads headers one per line and labels separated by commas or lines', () => {
    expect(parseHeaders('Accept: text/plain\n\nX-Trace:  a:b ')).toEqual([
      { name: 'Accept', value: 'text/plain' },
      { name: 'X-Trace', value: 'a:b' },
    ]);
    expect(parseLabels('mesh=istio, env = prod\nrun=1')).toEqual([
      { key: 'mesh', value: 'istio' },
      { key: 'env', value: 'prod' },
      { key: 'run', value: '1' },
    ]);
    expect(formatHeaders(parseHeaders('A: 1\nB: 2'))).toBe('A: 1\nB: 2');
    expect(formatLabels(parseLabels('a=1,b=2'))).toBe('a=1, b=2');
  });

  it('says which line or item is wrong', () => {
    expect(() => parseHeaders('Accept text')).toThrow(/Line 1/);
    expect(() => parseLabels('mesh')).toThrow(/"mesh"/);
  });

  it('reads numbers, empty as undefined', () => {
    expect(parseNumber(' 3 ')).toBe(3);
    expect(parseNumber('')).toBeUndefined();
    expect(parseNumber('x')).toBeNaN();
  });
});
