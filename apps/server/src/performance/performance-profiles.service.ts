import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { SERVER_CONFIG, type ServerConfig } from '../config/server-config.js';
import { invalidInput, notFound, type InputProblem } from '../graphql/api-error.js';
import type { CreatePerformanceProfileInput, LabelInput, UpdatePerformanceProfileInput } from './dto/performance.inputs.js';
import { PerformanceProfileEntity } from './entities/performance-profile.entity.js';
import { checkLoadTestSpec, generatorProblems, type LoadTestSpecFields } from './load-test-spec.validation.js';
import { LoadGeneratorsService } from './load-generators.service.js';
import { profileSpec } from './performance-models.mapper.js';

/** Checks labels and returns them as a map, or the problems. */
export function checkLabels(labels: readonly LabelInput[], field: string): { labels: Record<string, string>; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const map: Record<string, string> = {};
  labels.forEach((label, i) => {
    if (!/^[A-Za-z0-9]([A-Za-z0-9_.\/-]{0,98}[A-Za-z0-9])?$/.test(label.key)) {
      problems.push({ field: `${field}[${i}].key`, message: `"${label.key}" is not a label key (1–100 letters, digits, '-', '_', '.', '/')` });
    } else if (label.value.length > 200) {
      problems.push({ field: `${field}[${i}].value`, message: 'is longer than 200 characters' });
    } else {
      map[label.key] = label.value;
    }
  });
  return { labels: map, problems };
}

/** Saved load tests. */
@Injectable()
export class PerformanceProfilesService {
  constructor(
    @InjectRepository(PerformanceProfileEntity) private readonly profiles: Repository<PerformanceProfileEntity>,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly generators: LoadGeneratorsService,
  ) {}

  list(): Promise<PerformanceProfileEntity[]> {
    return this.profiles.find({ order: { name: 'ASC' } });
  }

  async get(id: string): Promise<PerformanceProfileEntity> {
    const profile = await this.profiles.findOneBy({ id });
    if (!profile) throw notFound('performance profile', id);
    return profile;
  }

  async create(input: CreatePerformanceProfileInput): Promise<PerformanceProfileEntity> {
    const now = new Date().toISOString();
    const entity = this.profiles.create({ id: randomUUID(), createdAt: now, updatedAt: now });
    await this.applyAndCheck(entity, { ...input, rate: input.rate ?? null }, input.name, input.labels, input.loadGenerator);
    await this.profiles.insert(entity);
    return entity;
  }

  async update(id: string, input: UpdatePerformanceProfileInput): Promise<PerformanceProfileEntity> {
    const profile = await this.get(id);
    const current = profileSpec(profile);
    const fields: LoadTestSpecFields = {
      url: input.url ?? current.url,
      method: input.method ?? current.method,
      headers: input.headers ?? Object.entries(current.headers).map(([name, value]) => ({ name, value })),
      body: input.body !== undefined ? input.body || null : (current.body ?? null),
      contentType: input.contentType !== undefined ? input.contentType || null : (current.contentType ?? null),
      connections: input.connections ?? current.connections,
      durationSeconds: input.durationSeconds ?? current.durationSeconds,
      rate: input.rate !== undefined && input.rate !== null ? input.rate || null : (current.rate ?? null),
      warmupSeconds: input.warmupSeconds ?? current.warmupSeconds,
      requestTimeoutSeconds: input.requestTimeoutSeconds ?? current.requestTimeoutSeconds,
    };
    const labels = input.labels ?? Object.entries(profile.labels).map(([key, value]) => ({ key, value }));
    await this.applyAndCheck(profile, fields, input.name ?? profile.name, labels, input.loadGenerator ?? profile.loadGenerator);
    profile.updatedAt = new Date().toISOString();
    await this.profiles.save(profile);
    return profile;
  }

  async delete(id: string): Promise<boolean> {
    const { affected } = await this.profiles.delete({ id });
    if (!affected) throw notFound('performance profile', id);
    return true;
  }

  private async applyAndCheck(
    entity: PerformanceProfileEntity,
    fields: LoadTestSpecFields,
    name: string,
    labelInputs: readonly LabelInput[],
    loadGenerator: string | undefined,
  ): Promise<void> {
    const problems: InputProblem[] = [];
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200) {
      problems.push({ field: 'name', message: 'give a name of 1 to 200 characters' });
    } else {
      const clash = await this.profiles.findOneBy({ name: trimmed });
      if (clash && clash.id !== entity.id) {
        problems.push({ field: 'name', message: `a profile named "${trimmed}" already exists; choose another name or update that one` });
      }
    }
    const checked = checkLoadTestSpec(fields, this.config.performance, '');
    problems.push(...checked.problems);
    const labels = checkLabels(labelInputs, 'labels');
    problems.push(...labels.problems);
    const generator = this.generators.resolve(loadGenerator, 'loadGenerator');
    if (checked.spec) problems.push(...generatorProblems(checked.spec, generator.provider.descriptor, ''));
    if (problems.length > 0 || !checked.spec) throw invalidInput('performance profile', problems);
    const spec = checked.spec;
    Object.assign(entity, {
      name: trimmed,
      url: spec.url,
      method: spec.method,
      headers: spec.headers,
      body: spec.body ?? null,
      contentType: spec.contentType ?? null,
      connections: spec.connections,
      durationSeconds: spec.durationSeconds,
      rate: spec.rate ?? null,
      warmupSeconds: spec.warmupSeconds,
      requestTimeoutSeconds: spec.requestTimeoutSeconds,
      loadGenerator: generator.provider.descriptor.name,
      labels: labels.labels,
    });
  }
}
