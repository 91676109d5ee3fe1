import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { parse as parseYaml } from 'yaml';
import { HTTP_METHODS, type HttpMethod, type LoadTestSpec } from '@meshery/plugin-api';
import { apiError, invalidInput, type InputProblem } from '../../graphql/api-error.js';
import { PerformanceResultLabelEntity } from '../entities/performance-result-label.entity.js';
import { PerformanceResultEntity } from '../entities/performance-result.entity.js';
import { parseDuration, type AdditionalOptions, type SmpClient, type SmpPerformanceTestConfig } from './smp-document.js';

/** Largest SMP document accepted. */
export const MAX_SMP_DOCUMENT_BYTES = 1024 * 1024;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses JSON or YAML text, refusing alias bombs and oversized input. */
export function parseSmpText(text: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_SMP_DOCUMENT_BYTES) {
    throw invalidInput('SMP document', [
      { field: 'document', message: `is larger than ${MAX_SMP_DOCUMENT_BYTES / 1024} KiB; an SMP result is a few KiB` },
    ]);
  }
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) return JSON.parse(trimmed);
    return parseYaml(trimmed, { maxAliasCount: 50, prettyErrors: true });
  } catch (error) {
    throw invalidInput('SMP document', [
      { field: 'document', message: `is neither valid JSON nor valid YAML: ${(error as Error).message.split('\n')[0]}` },
    ]);
  }
}

/** Reads an SMP document (or a bare PerformanceTestResult) back into a stored result. */
@Injectable()
export class SmpImportService {
  constructor(@InjectRepository(PerformanceResultEntity) private readonly results: Repository<PerformanceResultEntity>) {}

  async import(text: string): Promise<PerformanceResultEntity> {
    const document = parseSmpText(text);
    const problems: InputProblem[] = [];
    if (!isObject(document)) throw invalidInput('SMP document', [{ field: 'document', message: 'must be an object' }]);
    const result = isObject(document['performance_test_result'])
      ? document['performance_test_result']
      : 'latencies_ms' in document || 'actual_qps' in document || 'actual_QPS' in document
        ? document
        : undefined;
    if (!result) {
      throw invalidInput('SMP document', [
        {
          field: 'document',
          message: 'has no performance_test_result; expected { performance_test_result: {...}, performance_test_config: {...} } or a bare PerformanceTestResult',
        },
      ]);
    }
    const config = isObject(document['performance_test_config']) ? (document['performance_test_config'] as SmpPerformanceTestConfig) : undefined;

    const str = (obj: Json, key: string, field: string): string | undefined => {
      const value = obj[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string') problems.push({ field, message: 'must be a string' });
      return typeof value === 'string' ? value : undefined;
    };
    const num = (obj: Json, key: string, field: string): number | undefined => {
      const value = obj[key];
      if (value === undefined || value === null) return undefined;
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
        problems.push({ field, message: 'must be a number of 0 or more' });
        return undefined;
      }
      return n;
    };
    const time = (key: string): string | undefined => {
      const value = str(result, key, `performance_test_result.${key}`);
      if (value === undefined) return undefined;
      const parsed = Date.parse(value);
      if (Number.isNaN(parsed)) {
        problems.push({ field: `performance_test_result.${key}`, message: `"${value}" is not an RFC 3339 time` });
        return undefined;
      }
      return new Date(parsed).toISOString();
    };
    const labelsOf = (value: unknown, field: string): Record<string, string> => {
      if (value === undefined || value === null) return {};
      if (!isObject(value)) {
        problems.push({ field, message: 'must be a map of strings' });
        return {};
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
    };

    const latencies = result['latencies_ms'];
    const lat: Json = isObject(latencies) ? latencies : {};
    if (latencies !== undefined && !isObject(latencies)) {
      problems.push({ field: 'performance_test_result.latencies_ms', message: 'must be an object' });
    }
    const latency = {
      min: num(lat, 'min', 'performance_test_result.latencies_ms.min'),
      average: num(lat, 'average', 'performance_test_result.latencies_ms.average'),
      p50: num(lat, 'p50', 'performance_test_result.latencies_ms.p50'),
      p90: num(lat, 'p90', 'performance_test_result.latencies_ms.p90'),
      p99: num(lat, 'p99', 'performance_test_result.latencies_ms.p99'),
      max: num(lat, 'max', 'performance_test_result.latencies_ms.max'),
    };
    const qps = num(result, 'actual_qps', 'performance_test_result.actual_qps') ?? num(result, 'actual_QPS', 'performance_test_result.actual_QPS');
    const startedAt = time('start_time');
    const endedAt = time('end_time');
    if (!startedAt && !problems.some((p) => p.field.endsWith('start_time'))) {
      problems.push({ field: 'performance_test_result.start_time', message: 'is required to place the result in time' });
    }
    const resultLabels = labelsOf(result['labels'], 'performance_test_result.labels');
    const id = str(result, 'id', 'performance_test_result.id');
    if (id !== undefined && (id.length === 0 || id.length > 36)) {
      problems.push({ field: 'performance_test_result.id', message: 'must be 1 to 36 characters' });
    }
    const client = Array.isArray(config?.clients) && isObject(config.clients[0]) ? (config.clients[0] as SmpClient) : undefined;
    const spec = client ? this.specOf(client, config!, problems) : null;
    if (problems.length > 0) throw invalidInput('SMP document', problems);

    if (id && (await this.results.existsBy({ id }))) {
      throw apiError('PRECONDITION_FAILED', `A result with id "${id}" already exists`, {
        field: 'performance_test_result.id',
        probableCause: 'This document was imported before, or exported from this server.',
        remediation: 'Nothing to do if it is the same result; to keep a second copy, remove "id" from the document.',
      });
    }
    const resultId = id ?? randomUUID();
    const durationSeconds =
      startedAt && endedAt ? Math.max(0, (Date.parse(endedAt) - Date.parse(startedAt)) / 1000) : null;
    const entity = this.results.create({
      id: resultId,
      name: config?.name ?? `Imported ${startedAt}`,
      status: 'completed',
      source: 'import',
      profileId: null,
      testConfigId: str(result, 'test_id', 'test_id') ?? str(result, 'testId', 'testId') ?? config?.id ?? randomUUID(),
      spec,
      loadModel: (this.additional(client).load_model as 'closed-loop' | 'open-loop' | undefined) ?? (spec ? (spec.rate ? 'open-loop' : 'closed-loop') : null),
      labels: resultLabels,
      labelRows: Object.entries(resultLabels).map(([key, value]) =>
        Object.assign(new PerformanceResultLabelEntity(), { resultId, key, value }),
      ),
      createdAt: new Date().toISOString(),
      startedAt: startedAt!,
      endedAt: endedAt ?? null,
      measuredDurationSeconds: durationSeconds,
      requests: qps !== undefined && durationSeconds !== null ? Math.round(qps * durationSeconds) : null,
      throughputRps: qps ?? null,
      latencyMinMs: latency.min ?? null,
      latencyMeanMs: latency.average ?? null,
      latencyStddevMs: null,
      latencyP50Ms: latency.p50 ?? null,
      latencyP75Ms: null,
      latencyP90Ms: latency.p90 ?? null,
      latencyP99Ms: latency.p99 ?? null,
      latencyP999Ms: null,
      latencyMaxMs: latency.max ?? null,
      statusCodes: null,
      errors: null,
      errorsByType: null,
      timeouts: null,
      bytesRead: null,
      bytesWritten: null,
      histogram: null,
      environment: client?.load_generator ? { loadGenerator: client.load_generator } : {},
      samples: [],
      failure: null,
      smp: {
        ...(str(result, 'smp_version', 'smp_version') ? { smp_version: str(result, 'smp_version', 'smp_version')! } : {}),
        ...(str(result, 'details_uri', 'details_uri') ? { details_uri: str(result, 'details_uri', 'details_uri')! } : {}),
        ...((str(result, 'mesh_config_id', 'x') ?? str(result, 'meshConfigId', 'x'))
          ? { mesh_config_id: (str(result, 'mesh_config_id', 'x') ?? str(result, 'meshConfigId', 'x'))! }
          : {}),
        ...((str(result, 'env_id', 'x') ?? str(result, 'envId', 'x')) ? { env_id: (str(result, 'env_id', 'x') ?? str(result, 'envId', 'x'))! } : {}),
        ...(config?.name ? { config_name: config.name } : {}),
        ...(config?.labels ? { config_labels: labelsOf(config.labels, 'x') } : {}),
        ...(Array.isArray(config?.clients) ? { clients: config.clients as unknown as Record<string, unknown>[] } : {}),
        ...(config?.duration !== undefined ? { duration: String(config.duration) } : {}),
      },
    });
    await this.results.save(entity);
    return entity;
  }

  private additional(client: SmpClient | undefined): AdditionalOptions {
    if (!client?.additional_options) return {};
    try {
      const parsed: unknown = JSON.parse(client.additional_options);
      return isObject(parsed) ? (parsed as AdditionalOptions) : {};
    } catch {
      return {};
    }
  }

  private specOf(client: SmpClient, config: SmpPerformanceTestConfig, problems: InputProblem[]): LoadTestSpec | null {
    const url = Array.isArray(client.endpoint_urls) ? client.endpoint_urls[0] : undefined;
    if (typeof url !== 'string') return null;
    const extra = this.additional(client);
    const method = typeof extra.method === 'string' && HTTP_METHODS.includes(extra.method.toUpperCase() as HttpMethod)
      ? (extra.method.toUpperCase() as HttpMethod)
      : 'GET';
    const duration = config.duration !== undefined ? parseDuration(config.duration) : undefined;
    if (config.duration !== undefined && duration === undefined) {
      problems.push({ field: 'performance_test_config.duration', message: `"${String(config.duration)}" is not a duration such as 30s or 1m30s` });
    }
    const headers: Record<string, string> = isObject(client.headers)
      ? Object.fromEntries(Object.entries(client.headers).map(([k, v]) => [k, String(v)]))
      : {};
    if (isObject(client.cookies) && Object.keys(client.cookies).length > 0) {
      headers['Cookie'] = Object.entries(client.cookies).map(([k, v]) => `${k}=${String(v)}`).join('; ');
    }
    const rps = Number(client.rps);
    return {
      url,
      method,
      headers,
      ...(typeof client.body === 'string' && client.body !== '' ? { body: client.body } : {}),
      ...(typeof client.content_type === 'string' && client.content_type !== '' ? { contentType: client.content_type } : {}),
      connections: Number.isInteger(client.connections) ? client.connections! : 1,
      durationSeconds: duration ?? 0,
      ...(Number.isFinite(rps) && rps > 0 ? { rate: rps } : {}),
      warmupSeconds: typeof extra.warmup_seconds === 'number' ? extra.warmup_seconds : 0,
      requestTimeoutSeconds: typeof extra.request_timeout_seconds === 'number' ? extra.request_timeout_seconds : 10,
    };
  }
}
