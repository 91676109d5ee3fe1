// Efficiency benchmark (issue 7): the perf-autocannon plugin's closed loop against Debian's wrk,
// alternately, several rounds, against the same loopback target in its own process. Per round:
// requests/s of each, and the CPU time each generator used per request. Targets: ours >= 0.9x
// wrk's requests/s, and <= 20 us of CPU per request.
//
//   node tools/bench/generator-vs-wrk.mjs [--target nginx|node|both] [--rounds 5] [--duration 10]
//       [--connections 10] [--wrk-threads 1] [--node-floor]
//
// - Ours: tools/bench/plugin-load-test.mjs, a dedicated process that loads the plugin as the
//   server does (its own worker thread) and reports process.cpuUsage() over the run: all its
//   threads, i.e. the plugin's worker, V8's GC and compiler threads and the idle host thread.
// - wrk: `wrk -t<threads> -c<connections> -d<duration>s`, CPU from /usr/bin/time when installed,
//   else from /proc/<pid>/stat sampled every 20 ms.
// - --node-floor adds tools/bench/node-floor-client.mjs, the least a Node.js client can do per
//   request (no HTTP parser to speak of, no measurement), to show what Node itself costs.
// - Targets: nginx (Debian's, one worker process, `return 200 "ok"`) and/or
//   tools/bench/target-server.mjs (Node's http module). The target's own CPU use per round
//   shows which side was the bottleneck.
//
// Build the plugin first (npx tsc -p plugins/perf-autocannon/tsconfig.build.json) and install
// wrk (apt-get install -y wrk; nginx-light for the nginx target). All traffic stays on
// 127.0.0.1. Not a test: run it by hand on a machine as quiet as you can get.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'both' },
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'wrk-threads': { type: 'string', default: '1' },
    'node-floor': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connections = Number(values.connections);
const wrkThreads = Number(values['wrk-threads']);
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function which(command) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = path.join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  for (const dir of ['/usr/sbin', '/sbin']) if (existsSync(path.join(dir, command))) return path.join(dir, command);
  return undefined;
}

const wrk = which('wrk');
if (!wrk) {
  console.error('wrk is not installed: apt-get install -y wrk');
  process.exit(1);
}
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** CPU seconds (user + system) of a process and its children threads, from /proc. */
function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds of a process and its child processes (nginx: master and worker). */
function treeCpuSeconds(pid) {
  let total = processCpuSeconds(pid);
  for (const task of safeReaddir(`/proc/${pid}/task`)) {
    const children = safeRead(`/proc/${pid}/task/${task}/children`).trim();
    for (const child of children ? children.split(/\s+/) : []) total += treeCpuSeconds(Number(child));
  }
  return total;
}
const safeReaddir = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
const safeRead = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

async function startNodeTarget() {
  const child = spawn(process.execPath, [path.join(here, 'target-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(Number(/listening (\d+)/.exec(String(chunk))?.[1])));
    child.once('exit', (code) => reject(new Error(`target exited with ${code}`)));
  });
  return { name: 'node', url: `http://127.0.0.1:${port}/`, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

async function startNginxTarget() {
  const nginx = which('nginx');
  if (!nginx) throw new Error('nginx is not installed: apt-get install -y nginx-light');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshery-bench-nginx-'));
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { default_type text/plain; return 200 "ok"; }
  }
}
`,
  );
  const child = spawn(nginx, ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port);
  return {
    name: 'nginx',
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid,
    stop: () => {
      child.kill('SIGQUIT');
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
    },
  };
}

function collect(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let lastCpu = 0;
    const poll = setInterval(() => (lastCpu = processCpuSeconds(child.pid) || lastCpu), 20);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code === 0) resolve({ stdout, stderr, polledCpuSeconds: lastCpu });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

async function runWrk(url) {
  const wrkArgs = [`-t${wrkThreads}`, `-c${connections}`, `-d${duration}s`, url];
  const { stdout, stderr, polledCpuSeconds } = gnuTime
    ? await collect(gnuTime, ['-f', 'cpu %U %S', wrk, ...wrkArgs])
    : await collect(wrk, wrkArgs);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  const timed = /cpu ([\d.]+) ([\d.]+)/.exec(stderr);
  const cpuSeconds = timed ? Number(timed[1]) + Number(timed[2]) : polledCpuSeconds;
  return { rps, requests, cpuUsPerRequest: (cpuSeconds * 1e6) / requests };
}

async function runNode(script, url) {
  const { stdout } = await collect(process.execPath, [path.join(here, script), url, String(connections), String(duration)]);
  const result = JSON.parse(stdout.trim().split('\n').at(-1));
  return { rps: result.rps, requests: result.requests, cpuUsPerRequest: result.cpuUsPerRequest, p50Ms: result.latencyMs?.p50 };
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

async function bench(target) {
  const contenders = [
    { name: 'ours', run: () => runNode('plugin-load-test.mjs', target.url) },
    { name: 'wrk', run: () => runWrk(target.url) },
    ...(values['node-floor'] ? [{ name: 'node-floor', run: () => runNode('node-floor-client.mjs', target.url) }] : []),
  ];
  console.log(
    `\n== target ${target.name} ${target.url}: ${rounds} rounds of ${duration} s, ${connections} connections, ` +
      `wrk -t${wrkThreads}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  const rows = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order so that drift on the machine does not favour one side.
    const order = round % 2 === 1 ? contenders : [...contenders].reverse();
    const row = {};
    for (const contender of order) {
      const targetCpuBefore = treeCpuSeconds(target.pid);
      const started = performance.now();
      const figures = await contender.run();
      const seconds = (performance.now() - started) / 1000;
      figures.targetCpuShare = (treeCpuSeconds(target.pid) - targetCpuBefore) / seconds;
      row[contender.name] = figures;
    }
    rows.push(row);
    const parts = contenders.map(
      (c) =>
        `${c.name} ${fmt(row[c.name].rps)} req/s, ${fmt(row[c.name].cpuUsPerRequest, 1)} us CPU/req (target CPU ${fmt(row[c.name].targetCpuShare * 100)} %)`,
    );
    console.log(`round ${round}: ${parts.join(' | ')} | ratio ours/wrk ${fmt(row.ours.rps / row.wrk.rps, 3)}`);
  }
  const ratios = rows.map((r) => r.ours.rps / r.wrk.rps);
  console.log(`summary (${target.name}, medians over ${rounds} rounds):`);
  for (const c of contenders) {
    console.log(
      `  ${c.name.padEnd(10)} ${fmt(median(rows.map((r) => r[c.name].rps)))} req/s, ` +
        `${fmt(median(rows.map((r) => r[c.name].cpuUsPerRequest)), 1)} us CPU per request, ` +
        `target CPU ${fmt(median(rows.map((r) => r[c.name].targetCpuShare)) * 100)} %`,
    );
  }
  console.log(
    `  requests/s ours / wrk: median of paired rounds ${fmt(median(ratios), 3)} (min ${fmt(Math.min(...ratios), 3)}, max ${fmt(Math.max(...ratios), 3)}); target >= 0.9`,
  );
  console.log(`  CPU per request, ours: median ${fmt(median(rows.map((r) => r.ours.cpuUsPerRequest)), 1)} us; target <= 20 us`);
}

const wanted = values.target === 'both' ? ['nginx', 'node'] : [values.target];
for (const name of wanted) {
  if (name === 'nginx' && !which('nginx')) {
    console.log('\n== nginx is not installed (apt-get install -y nginx-light): skipped');
    continue;
  }
  const target = name === 'nginx' ? await startNginxTarget() : await startNodeTarget();
  try {
    await bench(target);
  } finally {
    target.stop();
  }
}
