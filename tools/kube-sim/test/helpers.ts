import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim, type KubeSimOptions } from '../src/index.js';

export async function withSim(options: KubeSimOptions = {}): Promise<{ sim: KubeSim; kc: KubeConfig }> {
  const sim = await startKubeSim({ readyDelayMs: 50, ...options });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig);
  return { sim, kc };
}

/** The HTTP status and parsed Status body of a failed client-node call. */
export async function apiError(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) {
      const raw = e.body as unknown;
      const body = typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : (raw as Record<string, unknown>);
      return { code: e.code, body, headers: e.headers as Record<string, string> };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

export async function until<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Raw HTTP against the simulator with its token (fetch; https is not used here). */
export async function raw(sim: KubeSim, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: Record<string, unknown>; text: string }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      ...(sim.token ? { Authorization: `Bearer ${sim.token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, json, text };
}

export const KUBECTL_CANDIDATES = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'];

export function findKubectl(): string | undefined {
  if (process.env['KUBECTL'] && existsSync(process.env['KUBECTL'])) return process.env['KUBECTL'];
  return KUBECTL_CANDIDATES.find((p) => existsSync(p));
}

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlEnv {
  dir: string;
  kubeconfig: string;
  run(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<KubectlRun>;
  file(name: string, content: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function kubectlEnv(binary: string, sim: KubeSim): Promise<KubectlEnv> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kube-sim-kubectl-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, sim.kubeconfig, { mode: 0o600 });
  return {
    dir,
    kubeconfig,
    run(args, opts = {}) {
      return new Promise((resolve) => {
        const child = execFile(
          binary,
          ['--cache-dir', path.join(dir, 'cache'), ...args],
          {
            env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir },
            timeout: opts.timeoutMs ?? 20_000,
            killSignal: 'SIGKILL',
          },
          (err, stdout, stderr) => {
            const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
            resolve({ code, stdout: String(stdout), stderr: String(stderr) });
          },
        );
        if (opts.input !== undefined) child.stdin?.end(opts.input);
      });
    },
    async file(name, content) {
      const p = path.join(dir, name);
      await writeFile(p, content);
      return p;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
