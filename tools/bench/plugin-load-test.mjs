// One load test run by the perf-autocannon plugin, loaded the way the server loads it (its own
// worker thread, via @meshery/plugin-testing), in this dedicated process. Prints one JSON line:
// the result's figures plus the CPU time this process used during the run (all threads: the
// plugin's worker and the idle host thread), so CPU per request is the generator's own cost.
//
//   node tools/bench/plugin-load-test.mjs <url> <connections> <durationSeconds> [rate] [warmupSeconds]
//
// Build the plugin first (npx tsc -p plugins/perf-autocannon/tsconfig.build.json).
import { startPluginTestHost } from '@meshery/plugin-testing';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [url, connections, duration, rate, warmup] = process.argv.slice(2);
if (!url || !connections || !duration) {
  process.stderr.write('usage: plugin-load-test.mjs <url> <connections> <durationSeconds> [rate] [warmupSeconds]\n');
  process.exit(2);
}

const host = await startPluginTestHost({ pluginDir: path.resolve(here, '../../plugins/perf-autocannon') });
try {
  const op = host.operation();
  const spec = {
    url,
    method: 'GET',
    headers: {},
    connections: Number(connections),
    durationSeconds: Number(duration),
    warmupSeconds: Number(warmup ?? 0),
    requestTimeoutSeconds: 10,
    ...(rate !== undefined && rate !== '' && rate !== '-' ? { rate: Number(rate) } : {}),
  };
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await host.loadGenerator('autocannon').run(spec, op.ctx);
  const cpu = process.cpuUsage(cpuBefore);
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  // Requests of the whole run (warm-up included), for CPU per request.
  const warmupRequests = op.events.filter((e) => e.phase === 'warmup').at(-1)?.requests ?? 0;
  const allRequests = result.requests + warmupRequests;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    `${JSON.stringify({
      rps: result.throughputRps,
      startedAt: result.startedAt,
      endedAt: result.endedAt,
      requests: result.requests,
      errors: result.errors,
      measuredSeconds: result.measuredDurationSeconds,
      wallSeconds,
      cpuUserSeconds: cpu.user / 1e6,
      cpuSystemSeconds: cpu.system / 1e6,
      cpuUsPerRequest: allRequests > 0 ? (cpuSeconds * 1e6) / allRequests : null,
      latencyMs: result.latencyMs,
      openLoop: result.openLoop ? { ...result.openLoop, serviceTimeHistogram: undefined } : undefined,
      progressSamples: op.events.length,
    })}\n`,
  );
} finally {
  await host.stop();
}
