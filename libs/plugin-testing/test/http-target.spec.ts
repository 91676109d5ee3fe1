import { afterEach, describe, expect, it } from 'vitest';
import { startHttpTarget, type HttpTarget } from '../src/index.js';

describe('startHttpTarget', () => {
  let target: HttpTarget | undefined;
  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('answers on 127.0.0.1 with 200 "ok" by default', async () => {
    target = await startHttpTarget();
    expect(target.url).toBe(`http://127.0.0.1:${target.port}/`);
    expect(target.port).toBeGreaterThan(0);
    const response = await fetch(target.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('answers with the configured status and body', async () => {
    target = await startHttpTarget({ status: 503, body: 'overloaded' });
    const response = await fetch(`${target.url}any/path`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength('overloaded')));
    expect(await response.text()).toBe('overloaded');
  });

  it('counts requests by method and keeps the last body and headers', async () => {
    target = await startHttpTarget();
    await (await fetch(target.url)).text();
    await (await fetch(target.url)).text();
    await (await fetch(target.url, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'x-test': 'yes' } })).text();
    await (await fetch(target.url, { method: 'DELETE' })).text();
    expect(target.requests.count).toBe(4);
    expect(target.requests.byMethod).toEqual({ GET: 2, POST: 1, DELETE: 1 });
    expect(target.requests.lastBody).toBe('{"a":1}');
    expect(target.requests.lastHeaders?.['x-test']).toBeUndefined(); // the DELETE came last
  });

  it('keeps the headers of the last request', async () => {
    target = await startHttpTarget();
    await (await fetch(target.url, { headers: { 'x-test': 'yes' } })).text();
    expect(target.requests.lastHeaders?.['x-test']).toBe('yes');
  });

  it('delays each answer by delayMs', async () => {
    target = await startHttpTarget({ delayMs: 150 });
    const started = performance.now();
    const response = await fetch(target.url);
    await response.text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    const fast = await startHttpTarget();
    try {
      const t0 = performance.now();
      await (await fetch(fast.url)).text();
      expect(performance.now() - t0).toBeLessThan(140);
    } finally {
      await fast.close();
    }
  });

  it('stops accepting connections once closed, even with keep-alive clients', async () => {
    const closing = await startHttpTarget();
    await (await fetch(closing.url)).text(); // leaves a keep-alive connection open
    await closing.close();
    await expect(fetch(closing.url)).rejects.toThrow();
  });
});
