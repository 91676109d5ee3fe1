// Benchmark: the same closed-loop load test run (a) through the Meshery server via GraphQL and
// (b) with autocannon alone in one process, alternately, against one local target.
// Prints each round and the ratio of medians. Target: (a) >= 95 % of (b).
//
//   node tools/bench/server-vs-autocannon.mjs [--rounds 5] [--duration 10] [--connections 10]
//
// Build first (npm run build). All traffic stays on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connections = Number(values.connections);

function start(args, env, pattern) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out starting ${args[0]}:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`${args[0]} exited with ${code}:\n${output}`)));
  });
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${args[0]} exited with ${code}`))));
  });
}

async function graphql(url, query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function throughServer(serverUrl, targetUrl) {
  const { runPerformanceTest } = await graphql(
    serverUrl,
    `mutation R($input: RunPerformanceTestInput!) { runPerformanceTest(input: $input) { id } }`,
    { input: { spec: { url: targetUrl, connections, durationSeconds: duration } } },
  );
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const { performanceResult } = await graphql(
      serverUrl,
      `query Q($id: ID!) { performanceResult(id: $id) { status throughputRps requests } }`,
      { id: runPerformanceTest.id },
    );
    if (performanceResult.status !== 'RUNNING') {
      if (performanceResult.status !== 'COMPLETED') throw new Error(`run ended ${performanceResult.status}`);
      return performanceResult.throughputRps;
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshery-bench-'));
const target = await start([path.join(here, 'target-server.mjs')], {}, /listening (\d+)/);
const targetUrl = `http://127.0.0.1:${target.match[1]}/`;
const server = await start([path.join(root, 'apps/server/dist/main.js')], { MESHERY_DATA_DIR: dataDir, MESHERY_PORT: '0' }, /listening on (http:\/\/\S+) /);
const serverUrl = server.match[1];
console.log(`target ${targetUrl}, server ${serverUrl}, ${rounds} rounds of ${duration} s, ${connections} connections`);

const viaServer = [];
const alone = [];
try {
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? ['server', 'alone'] : ['alone', 'server'];
    for (const which of order) {
      if (which === 'server') viaServer.push(await throughServer(serverUrl, targetUrl));
      else alone.push(JSON.parse(await run([path.join(here, 'autocannon-alone.mjs'), targetUrl, String(connections), String(duration)])).rps);
    }
    console.log(`round ${round}: through server ${viaServer.at(-1).toFixed(0)} req/s, autocannon alone ${alone.at(-1).toFixed(0)} req/s, ratio ${(viaServer.at(-1) / alone.at(-1)).toFixed(3)}`);
  }
  // Rounds are paired (run back to back), so the median of the per-round ratios cancels most of
  // the machine's drift; the ratio of the medians is printed too.
  const pairedRatios = viaServer.map((v, i) => v / alone[i]);
  console.log(`median: through server ${median(viaServer).toFixed(0)} req/s, autocannon alone ${median(alone).toFixed(0)} req/s (ratio of medians ${(median(viaServer) / median(alone)).toFixed(3)})`);
  console.log(`throughput ratio (server / autocannon alone), median of paired rounds: ${median(pairedRatios).toFixed(3)} (target >= 0.95)`);
} finally {
  server.child.kill('SIGTERM');
  target.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
