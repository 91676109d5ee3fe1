import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { ApiClient } from '../api-client.js';
import { clientOf, collect, integerOption, numberOption, parseHeaders, parseLabels, readInput } from '../command-context.js';
import { durationOption, formatDuration } from '../duration.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { fortioToSmp, isFortioResult } from '../fortio.js';
import { num, outputFormat, print, table, type OutputFormat } from '../output.js';
import { PROFILE_FIELDS, RESULT_FIELDS, type PerformanceProfile, type PerformanceResult } from '../perf-model.js';
import { parseDocument, parseSmpTestConfig, type SpecFields } from '../smp-config.js';
import { evaluateThresholds, formatExpectation, formatValue, parseThreshold, type ThresholdOutcome } from '../thresholds.js';
import { followRun, type ProgressMode } from './perf-run.js';
import { profileDetails, profileRows, resultRows, resultSummary, thresholdData, thresholdTable } from './perf-format.js';

const OUTPUT_HELP = 'output format: table, json or yaml';

interface SpecFlags {
  url?: string;
  method?: string;
  header?: string[];
  body?: string;
  contentType?: string;
  connections?: string;
  rate?: string;
  duration?: string;
  warmup?: string;
  requestTimeout?: string;
  loadGenerator?: string;
  label?: string[];
  name?: string;
  file?: string;
}

/** The flags that describe a test, shared by `perf apply` and `perf profile create`. */
function addSpecOptions(command: Command): Command {
  return command
    .option('-f, --file <file>', 'SMP performance test configuration (JSON or YAML; - for stdin); flags override it')
    .option('--url <url>', 'URL of the service under test')
    .option('--method <method>', 'HTTP method (GET by default)')
    .option('--header <header>', "request header 'Name: value' (repeatable)", collect)
    .option('--body <body>', 'request body')
    .option('--content-type <type>', 'content type of the body')
    .option('--connections <n>', 'concurrent connections (10 by default)')
    .option('--rate <rps>', 'target requests per second, open loop (as fast as possible when omitted)')
    .option('--duration <duration>', 'how long to measure, e.g. 30s, 1m (30s by default)')
    .option('--warmup <duration>', 'warm-up before measuring, left out of the result (5s for tests of 30s or more)')
    .option('--request-timeout <duration>', 'a request unanswered this long counts as a timeout (10s by default)')
    .option('--load-generator <name>', 'load generator to use (see the server\'s loadGenerators); the first available by default')
    .option('--label <key=value>', 'label of the result (repeatable)', collect)
    .option('--name <name>', 'name of the result (or of the profile)');
}

/** Spec fields given as flags (only those given). */
function specFromFlags(flags: SpecFlags): SpecFields {
  const fields: SpecFields = {};
  if (flags.url !== undefined) fields.url = flags.url;
  if (flags.method !== undefined) fields.method = flags.method.toUpperCase();
  if (flags.header !== undefined) fields.headers = parseHeaders(flags.header);
  if (flags.body !== undefined) fields.body = flags.body;
  if (flags.contentType !== undefined) fields.contentType = flags.contentType;
  const connections = integerOption('--connections', flags.connections);
  if (connections !== undefined) fields.connections = connections;
  const rate = numberOption('--rate', flags.rate);
  if (rate !== undefined) fields.rate = rate;
  if (flags.duration !== undefined) fields.durationSeconds = durationOption('--duration', flags.duration);
  if (flags.warmup !== undefined) fields.warmupSeconds = durationOption('--warmup', flags.warmup, { allowZero: true });
  if (flags.requestTimeout !== undefined) fields.requestTimeoutSeconds = durationOption('--request-timeout', flags.requestTimeout);
  if (flags.loadGenerator !== undefined) fields.loadGenerator = flags.loadGenerator;
  return fields;
}

const SPEC_KEYS = [
  'url',
  'method',
  'headers',
  'body',
  'contentType',
  'connections',
  'durationSeconds',
  'rate',
  'warmupSeconds',
  'requestTimeoutSeconds',
  'loadGenerator',
] as const;

/** The GraphQL LoadTestSpecInput of some fields (unset ones take the server's defaults). */
function specInput(fields: SpecFields): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of SPEC_KEYS) if (fields[key] !== undefined) input[key] = fields[key];
  return input;
}

function profileFields(p: PerformanceProfile): SpecFields {
  return {
    url: p.url,
    method: p.method,
    headers: p.headers.map(({ name, value }) => ({ name, value })),
    ...(p.body ? { body: p.body } : {}),
    ...(p.contentType ? { contentType: p.contentType } : {}),
    connections: p.connections,
    durationSeconds: p.durationSeconds,
    ...(p.rate ? { rate: p.rate } : {}),
    warmupSeconds: p.warmupSeconds,
    requestTimeoutSeconds: p.requestTimeoutSeconds,
    ...(p.loadGenerator ? { loadGenerator: p.loadGenerator } : {}),
    labels: Object.fromEntries(p.labels.map((l) => [l.key, l.value])),
  };
}

const toLabelInput = (labels: Record<string, string>) => Object.entries(labels).map(([key, value]) => ({ key, value }));

/** A profile by id, or else by exact name. */
async function findProfile(client: ApiClient, idOrName: string): Promise<PerformanceProfile> {
  const { performanceProfiles } = await client.graphql<{ performanceProfiles: PerformanceProfile[] }>(
    `query { performanceProfiles { ${PROFILE_FIELDS} } }`,
  );
  const byId = performanceProfiles.find((p) => p.id === idOrName);
  if (byId) return byId;
  const byName = performanceProfiles.filter((p) => p.name === idOrName);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw usageError(`${byName.length} profiles are named "${idOrName}"`, `Give the id instead: ${byName.map((p) => p.id).join(', ')}.`);
  }
  throw new CliError(ExitCode.API_ERROR, `No performance profile with id or name "${idOrName}"`, {
    code: 'NOT_FOUND',
    remedy: 'List the profiles with "mesheryctl perf profile list".',
  });
}

function progressMode(quiet: boolean | undefined, format: OutputFormat): ProgressMode {
  if (quiet) return 'none';
  if (process.stderr.isTTY) return 'bar';
  return format === 'table' ? 'lines' : 'none';
}

/** The exit for a run that ended: run state first, then thresholds. */
function runOutcomeError(result: PerformanceResult, interruptedByUser: boolean, outcomes: readonly ThresholdOutcome[]): CliError | undefined {
  if (interruptedByUser) {
    return new CliError(ExitCode.INTERRUPTED, `interrupted: run ${result.id} was cancelled on the server (status ${result.status})`, {
      cause: 'Ctrl-C or SIGTERM.',
      remedy: `Its partial result is kept: "mesheryctl perf result view ${result.id}".`,
    });
  }
  if (result.status === 'FAILED' || result.status === 'INTERRUPTED' || result.status === 'RUNNING') {
    return new CliError(ExitCode.RUN_FAILED, `run ${result.id} ${result.status.toLowerCase()}${result.failure ? `: ${result.failure.message}` : ''}`, {
      ...(result.failure?.code ? { code: result.failure.code } : {}),
      ...(result.failure?.probableCause ? { cause: result.failure.probableCause } : {}),
      ...(result.failure?.remediation ? { remedy: result.failure.remediation } : {}),
    });
  }
  if (result.status === 'CANCELLED') {
    return new CliError(ExitCode.RUN_CANCELLED, `run ${result.id} was cancelled on the server`, {
      cause: 'Someone cancelled it (cancelPerformanceTest) while it ran.',
      remedy: `Its partial result is kept: "mesheryctl perf result view ${result.id}". Run the test again.`,
    });
  }
  const violated = outcomes.filter((o) => !o.passed);
  if (violated.length > 0) {
    return new CliError(
      ExitCode.THRESHOLD_VIOLATED,
      `${violated.length} of ${outcomes.length} threshold${outcomes.length === 1 ? '' : 's'} violated: ${violated.map((o) => o.threshold.text).join(', ')}`,
      {
        lines: violated.map(
          (o) =>
            `- ${o.threshold.text}: expected ${formatExpectation(o.threshold)}, actual ${formatValue(o.threshold, o.actual)}${o.actual === null ? ' (the result does not have this metric)' : ''}`,
        ),
      },
    );
  }
  return undefined;
}

/** Prints a finished result with its thresholds, then throws the exit it calls for. */
function report(result: PerformanceResult, format: OutputFormat, outcomes: ThresholdOutcome[], interruptedByUser = false): void {
  print(format, outcomes.length > 0 || format !== 'table' ? { result, thresholds: thresholdData(outcomes) } : result, () => {
    const parts = [resultSummary(result)];
    if (outcomes.length > 0) parts.push(thresholdTable(outcomes));
    return parts.join('\n');
  });
  const error = runOutcomeError(result, interruptedByUser, outcomes);
  if (error) throw error;
}

async function apply(profileArg: string | undefined, flags: SpecFlags & { threshold?: string[]; output?: string; quiet?: boolean }, command: Command) {
  const format = outputFormat(flags.output);
  const thresholds = (flags.threshold ?? []).map(parseThreshold);
  const fromFile = flags.file ? parseSmpTestConfig(readInput(flags.file), flags.file) : {};
  const fromFlags = specFromFlags(flags);
  const labels = parseLabels(flags.label);
  if (profileArg && flags.file) throw usageError('give either a profile or -f FILE, not both');
  const client = clientOf(command);
  try {
    let input: Record<string, unknown>;
    if (profileArg) {
      const profile = await findProfile(client, profileArg);
      if (Object.keys(fromFlags).length === 0) {
        input = { profileId: profile.id };
      } else {
        // Overrides turn the profile into a one-off spec (the result is not linked to the profile).
        input = { spec: specInput({ ...profileFields(profile), ...fromFlags }) };
        Object.assign(labels, { ...Object.fromEntries(profile.labels.map((l) => [l.key, l.value])), ...labels });
      }
      input['name'] = flags.name ?? profile.name;
    } else {
      const fields = { ...fromFile, ...fromFlags };
      if (!fields.url) {
        throw usageError('nothing to test: give --url URL, -f FILE (an SMP test configuration) or a profile name', 'e.g. mesheryctl perf apply --url http://127.0.0.1:8080/ --duration 30s');
      }
      input = { spec: specInput(fields) };
      const name = flags.name ?? fromFile.name;
      if (name) input['name'] = name;
      Object.assign(labels, { ...fromFile.labels, ...labels });
    }
    if (Object.keys(labels).length > 0) input['labels'] = toLabelInput(labels);

    const { runPerformanceTest: run } = await client.graphql<{ runPerformanceTest: PerformanceResult }>(
      `mutation Run($input: RunPerformanceTestInput!) { runPerformanceTest(input: $input) { ${RESULT_FIELDS} } }`,
      { input },
    );
    const spec = run.spec!;
    process.stderr.write(
      `Run ${run.id} started: ${spec.method} ${spec.url}, ${spec.connections} connections, ${spec.rate ? `${spec.rate} req/s` : 'as fast as possible'}, ${formatDuration(spec.durationSeconds)}${spec.warmupSeconds ? ` after a ${formatDuration(spec.warmupSeconds)} warm-up` : ''}\n`,
    );
    const { result, interruptedByUser } = await followRun(
      client,
      run.id,
      { durationSeconds: spec.durationSeconds, warmupSeconds: spec.warmupSeconds },
      progressMode(flags.quiet, format),
    );
    const outcomes = result.status === 'COMPLETED' && !interruptedByUser ? evaluateThresholds(thresholds, result) : [];
    report(result, format, outcomes, interruptedByUser);
  } finally {
    await client.close();
  }
}

function profileCommands(): Command {
  const profile = new Command('profile').description('saved load tests');
  profile
    .command('list')
    .description('list the saved load tests')
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .action(async (opts: { output: string }, command: Command) => {
      const format = outputFormat(opts.output);
      const { performanceProfiles } = await clientOf(command).graphql<{ performanceProfiles: PerformanceProfile[] }>(
        `query { performanceProfiles { ${PROFILE_FIELDS} } }`,
      );
      print(format, performanceProfiles, () => (performanceProfiles.length > 0 ? profileRows(performanceProfiles) : 'No profiles.'));
    });
  profile
    .command('view')
    .description('show a saved load test')
    .argument('<profile>', 'id or name')
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .action(async (idOrName: string, opts: { output: string }, command: Command) => {
      const format = outputFormat(opts.output);
      const found = await findProfile(clientOf(command), idOrName);
      print(format, found, () => profileDetails(found));
    });
  addSpecOptions(
    profile
      .command('create')
      .description('save a load test (run it with "mesheryctl perf apply NAME")')
      .argument('[name]', 'name of the profile (or --name, or the name in -f FILE)'),
  )
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .action(async (nameArg: string | undefined, flags: SpecFlags & { output: string }, command: Command) => {
      const format = outputFormat(flags.output);
      const fromFile = flags.file ? parseSmpTestConfig(readInput(flags.file), flags.file) : {};
      const fields = { ...fromFile, ...specFromFlags(flags) };
      const name = nameArg ?? flags.name ?? fromFile.name;
      if (!name) throw usageError('a profile needs a name', 'Give it as the argument: mesheryctl perf profile create NAME --url ...');
      if (!fields.url) throw usageError('a profile needs --url or -f FILE');
      const labels = { ...fromFile.labels, ...parseLabels(flags.label) };
      const { createPerformanceProfile: created } = await clientOf(command).graphql<{ createPerformanceProfile: PerformanceProfile }>(
        `mutation Create($input: CreatePerformanceProfileInput!) { createPerformanceProfile(input: $input) { ${PROFILE_FIELDS} } }`,
        { input: { ...specInput(fields), name, labels: toLabelInput(labels) } },
      );
      print(format, created, () => `Created profile ${created.id} (${created.name}).\n${profileDetails(created)}`);
    });
  profile
    .command('delete')
    .description('delete a saved load test (results of its runs are kept)')
    .argument('<profile>', 'id or name')
    .action(async (idOrName: string, _opts: unknown, command: Command) => {
      const client = clientOf(command);
      const found = await findProfile(client, idOrName);
      await client.graphql(`mutation Delete($id: ID!) { deletePerformanceProfile(id: $id) }`, { id: found.id });
      process.stdout.write(`Deleted profile ${found.id} (${found.name}).\n`);
    });
  return profile;
}

const SORT_FIELDS: Record<string, string> = {
  started: 'STARTED_AT',
  name: 'NAME',
  rps: 'THROUGHPUT',
  p50: 'LATENCY_P50',
  p99: 'LATENCY_P99',
  requests: 'REQUESTS',
};

async function getResult(client: ApiClient, id: string): Promise<PerformanceResult> {
  return (await client.graphql<{ performanceResult: PerformanceResult }>(`query Result($id: ID!) { performanceResult(id: $id) { ${RESULT_FIELDS} } }`, { id }))
    .performanceResult;
}

function resultCommands(): Command {
  const result = new Command('result').description('stored results: list, view, export, compare, import');
  result
    .command('list')
    .description('list results, newest first')
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .option('--profile <id>', 'results of this profile')
    .option('--label <key=value>', 'results carrying this label (repeatable)', collect)
    .option('--status <status>', 'results with this status: running, completed, failed, cancelled, interrupted (repeatable)', collect)
    .option('--since <time>', 'started at or after (ISO-8601)')
    .option('--until <time>', 'started before (ISO-8601)')
    .addOption(new Option('--sort <field>', 'sort by').choices(Object.keys(SORT_FIELDS)).default('started'))
    .option('--asc', 'ascending order (descending by default)')
    .option('--limit <n>', 'at most this many (1-200)', '50')
    .option('--offset <n>', 'skip this many', '0')
    .action(
      async (
        opts: { output: string; profile?: string; label?: string[]; status?: string[]; since?: string; until?: string; sort: string; asc?: boolean; limit: string; offset: string },
        command: Command,
      ) => {
        const format = outputFormat(opts.output);
        const labels = parseLabels(opts.label);
        const filter = {
          ...(opts.profile ? { profileId: opts.profile } : {}),
          ...(Object.keys(labels).length > 0 ? { labels: toLabelInput(labels) } : {}),
          ...(opts.status ? { statuses: opts.status.map((s) => s.toLowerCase()) } : {}),
          ...(opts.since ? { startedAfter: opts.since } : {}),
          ...(opts.until ? { startedBefore: opts.until } : {}),
        };
        const { performanceResults: page } = await clientOf(command).graphql<{
          performanceResults: { items: PerformanceResult[]; total: number; limit: number; offset: number };
        }>(
          `query List($filter: PerformanceResultFilter, $sort: PerformanceResultSort, $limit: Int, $offset: Int) {
            performanceResults(filter: $filter, sort: $sort, limit: $limit, offset: $offset) { total limit offset items { ${RESULT_FIELDS} } }
          }`,
          {
            filter,
            sort: { field: SORT_FIELDS[opts.sort], direction: opts.asc ? 'ASC' : 'DESC' },
            limit: integerOption('--limit', opts.limit),
            offset: integerOption('--offset', opts.offset, 0),
          },
        );
        print(format, { total: page.total, limit: page.limit, offset: page.offset, items: page.items }, () =>
          page.items.length > 0
            ? `${resultRows(page.items)}\n${page.offset + 1}-${page.offset + page.items.length} of ${page.total}`
            : `No results${page.total > 0 ? ` on this page (${page.total} in all)` : ''}.`,
        );
      },
    );
  result
    .command('view')
    .description('show a result; with --threshold, check it like perf apply does')
    .argument('<id>', 'result id')
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .option('--threshold <expr>', "fail (exit 5) unless the result meets it, e.g. 'p99<50ms' (repeatable)", collect)
    .action(async (id: string, opts: { output: string; threshold?: string[] }, command: Command) => {
      const format = outputFormat(opts.output);
      const thresholds = (opts.threshold ?? []).map(parseThreshold);
      const found = await getResult(clientOf(command), id);
      const outcomes = evaluateThresholds(thresholds, found);
      print(format, thresholds.length > 0 ? { result: found, thresholds: thresholdData(outcomes) } : found, () =>
        [resultSummary(found), ...(outcomes.length > 0 ? [thresholdTable(outcomes)] : [])].join('\n'),
      );
      const violated = outcomes.filter((o) => !o.passed);
      if (violated.length > 0) {
        throw new CliError(ExitCode.THRESHOLD_VIOLATED, `${violated.length} of ${outcomes.length} thresholds violated: ${violated.map((o) => o.threshold.text).join(', ')}`, {
          lines: violated.map((o) => `- ${o.threshold.text}: expected ${formatExpectation(o.threshold)}, actual ${formatValue(o.threshold, o.actual)}`),
        });
      }
    });
  result
    .command('export')
    .description('download a result: SMP (JSON or YAML) or the full result as JSON (with its latency histogram)')
    .argument('<id>', 'result id')
    .addOption(new Option('--format <format>', 'document format').choices(['smp-json', 'smp-yaml', 'json']).default('smp-json'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (id: string, opts: { format: string; output?: string }, command: Command) => {
      const path = `/api/performance/results/${encodeURIComponent(id)}${opts.format === 'smp-json' ? '/smp.json' : opts.format === 'smp-yaml' ? '/smp.yaml' : ''}`;
      const { text } = await clientOf(command).getText(path);
      const content = opts.format === 'json' ? `${JSON.stringify(JSON.parse(text), null, 2)}\n` : text.endsWith('\n') ? text : `${text}\n`;
      if (opts.output) {
        try {
          writeFileSync(opts.output, content);
        } catch (error) {
          throw usageError(`cannot write ${opts.output}: ${(error as Error).message}`);
        }
        process.stderr.write(`Wrote result ${id} (${opts.format}) to ${opts.output}\n`);
      } else {
        process.stdout.write(content);
      }
    });
  result
    .command('compare')
    .description('compare results; the first is the baseline')
    .argument('<ids...>', 'two or more result ids')
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .action(async (ids: string[], opts: { output: string }, command: Command) => {
      const format = outputFormat(opts.output);
      if (ids.length < 2) throw usageError('compare needs at least two result ids');
      const { comparePerformanceResults: comparison } = await clientOf(command).graphql<{
        comparePerformanceResults: {
          results: PerformanceResult[];
          metrics: { metric: string; values: (number | null)[]; differencesPercent: (number | null)[] }[];
          warnings: string[];
        };
      }>(
        `query Compare($ids: [ID!]!) { comparePerformanceResults(ids: $ids) { results { ${RESULT_FIELDS} } metrics { metric values differencesPercent } warnings } }`,
        { ids },
      );
      print(format, comparison, () => {
        const head = ['metric', ...comparison.results.map((r, i) => `${r.name} (${r.id.slice(0, 8)})${i === 0 ? ' baseline' : ''}`)];
        const rows = comparison.metrics.map((m) => [
          m.metric,
          ...m.values.map((value, i) => {
            const diff = m.differencesPercent[i];
            const shown = num(value, 3);
            return i === 0 || diff === null || diff === undefined ? shown : `${shown} (${diff >= 0 ? '+' : ''}${diff.toFixed(1)}%)`;
          }),
        ]);
        const warnings = comparison.warnings.map((w) => `Warning: ${w}`);
        return [table(head, rows), ...warnings].join('\n');
      });
    });
  result
    .command('import')
    .description('store a result from an SMP document (JSON or YAML) or a Fortio JSON result')
    .argument('<file>', 'the document (- for standard input)')
    .option('--label <key=value>', 'add this label to the result (repeatable)', collect)
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .action(async (file: string, opts: { label?: string[]; output: string }, command: Command) => {
      const format = outputFormat(opts.output);
      const text = readInput(file);
      const labels = parseLabels(opts.label);
      const parsed = parseDocument(text, file);
      let document: string;
      if (isFortioResult(parsed)) {
        const { document: smp, dropped } = fortioToSmp(parsed, labels);
        if (dropped.length > 0) process.stderr.write(`Fortio result converted to SMP; SMP has no field for ${dropped.join('; ')}.\n`);
        document = JSON.stringify(smp);
      } else if (Object.keys(labels).length > 0 && typeof parsed === 'object' && parsed !== null) {
        const doc = parsed as Record<string, Record<string, unknown> | undefined>;
        const target = doc['performance_test_result'] ?? (doc as Record<string, unknown>);
        target['labels'] = { ...((target['labels'] as Record<string, string> | undefined) ?? {}), ...labels };
        document = JSON.stringify(doc);
      } else {
        document = text;
      }
      const { importPerformanceResult: imported } = await clientOf(command).graphql<{ importPerformanceResult: PerformanceResult }>(
        `mutation Import($document: String!) { importPerformanceResult(document: $document) { ${RESULT_FIELDS} } }`,
        { document },
      );
      print(format, imported, () => `Imported result ${imported.id} (${imported.name}).\n${resultSummary(imported)}`);
    });
  result
    .command('delete')
    .description('delete a stored result')
    .argument('<id>', 'result id')
    .action(async (id: string, _opts: unknown, command: Command) => {
      await clientOf(command).graphql(`mutation Delete($id: ID!) { deletePerformanceResult(id: $id) }`, { id });
      process.stdout.write(`Deleted result ${id}.\n`);
    });
  return result;
}

/** `mesheryctl perf ...` */
export function perfCommand(): Command {
  const perf = new Command('perf').description('performance tests: run them, keep and compare their results');
  addSpecOptions(
    perf
      .command('apply')
      .description('run a load test, show its progress and result, and check thresholds')
      .argument('[profile]', 'saved profile (id or name) to run; flags override its settings'),
  )
    .option(
      '--threshold <expr>',
      "fail (exit 5) unless the result meets it: METRIC OP VALUE, e.g. 'p99<50ms', 'error_rate<1%', 'rps>1000' (repeatable)",
      collect,
    )
    .option('-o, --output <format>', `${OUTPUT_HELP} (of the final result)`, 'table')
    .option('-q, --quiet', 'no progress display')
    .addHelpText(
      'after',
      `
Threshold metrics: min mean p50 p75 p90 p99 p99.9 max (ms by default, or s, us), error_rate (% of
requests without a response or with a 4xx/5xx status), rps (responses per second), requests, errors.

Examples:
  mesheryctl perf apply --url http://127.0.0.1:8080/ --connections 20 --duration 30s --threshold 'p99<50ms'
  mesheryctl perf apply -f smp-test.yaml --label mesh=istio
  mesheryctl perf apply checkout-baseline --duration 10s`,
    )
    .action(apply);
  perf.addCommand(profileCommands());
  perf.addCommand(resultCommands());
  return perf;
}
