#!/usr/bin/env node
/**
 * node tools/kube-sim/dist/cli.js [--port N] [--host ADDR] [--https] [--kubeconfig PATH]
 *                                 [--ready-delay-ms N] [--token T | --no-auth]
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startKubeSim } from './index.js';

const USAGE = `usage: kube-sim [--port N] [--host ADDR] [--https] [--kubeconfig PATH] [--ready-delay-ms N] [--token T | --no-auth]

Starts a Kubernetes API stand-in and writes a kubeconfig for it (default: <tmpdir>/kube-sim-<port>.kubeconfig).
Then: KUBECONFIG=<that file> kubectl get ns

  --https            serve TLS with a generated CA (written into the kubeconfig) and require a bearer token
  --token T          require this bearer token (random when --https and no --token)
  --no-auth          accept requests without a token
  --ready-delay-ms N how long workloads take to become ready (default 100)
Without --https and --token the server accepts unauthenticated requests, because kubectl does not
send credentials over plain HTTP.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        https: { type: 'boolean' },
        kubeconfig: { type: 'string' },
        'ready-delay-ms': { type: 'string' },
        token: { type: 'string' },
        'no-auth': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const num = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      process.stderr.write(`--${name} must be a non-negative integer\n`);
      process.exit(2);
    }
    return n;
  };
  const port = num(values.port, 'port');
  const readyDelayMs = num(values['ready-delay-ms'], 'ready-delay-ms');
  const https = values.https === true;
  // kubectl (client-go) never sends credentials over plain HTTP, so without --https the CLI serves
  // without authentication unless a token is asked for explicitly.
  const noAuth = values['no-auth'] === true || (!https && values.token === undefined);
  const sim = await startKubeSim({
    ...(port !== undefined ? { port } : {}),
    ...(values.host ? { host: values.host } : {}),
    https,
    ...(readyDelayMs !== undefined ? { readyDelayMs } : {}),
    ...(noAuth ? { token: null } : values.token ? { token: values.token } : {}),
  });
  const kubeconfigPath = path.resolve(values.kubeconfig ?? path.join(tmpdir(), `kube-sim-${sim.port}.kubeconfig`));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(kubeconfigPath, sim.kubeconfig, { mode: 0o600 });
  const auth = sim.token ? 'bearer token (in the kubeconfig)' : https ? 'none (--no-auth)' : 'none (plain HTTP: kubectl sends no credentials without TLS; use --https for token auth)';
  process.stdout.write(`kube-sim listening on ${sim.url}\nauthentication: ${auth}\nkubeconfig written to ${kubeconfigPath}\n  export KUBECONFIG=${kubeconfigPath}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`kube-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
