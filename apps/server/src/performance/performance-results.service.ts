import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { apiError, invalidInput, notFound, type InputProblem } from '../graphql/api-error.js';
import {
  PerformanceResultSortField,
  SortDirection,
  type PerformanceResultFilterInput,
  type PerformanceResultSortInput,
} from './dto/performance.inputs.js';
import { PerformanceResultLabelEntity } from './entities/performance-result-label.entity.js';
import { PerformanceResultEntity } from './entities/performance-result.entity.js';
import { PerformanceRunsService } from './performance-runs.service.js';

const STATUSES = ['running', 'completed', 'failed', 'cancelled', 'interrupted'];
export const MAX_PAGE_SIZE = 200;

function isoOrProblem(value: string | undefined, field: string, problems: InputProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    problems.push({ field, message: `"${value}" is not an ISO-8601 date-time such as 2026-11-22T10:00:00Z` });
    return undefined;
  }
  return new Date(time).toISOString();
}

/** Stored results: search, read, delete. */
@Injectable()
export class PerformanceResultsService {
  constructor(
    @InjectRepository(PerformanceResultEntity) private readonly results: Repository<PerformanceResultEntity>,
    private readonly runs: PerformanceRunsService,
  ) {}

  async get(id: string): Promise<PerformanceResultEntity> {
    const result = await this.results.findOneBy({ id });
    if (!result) throw notFound('performance result', id);
    return result;
  }

  find(id: string): Promise<PerformanceResultEntity | null> {
    return this.results.findOneBy({ id });
  }

  async list(
    filter: PerformanceResultFilterInput = {},
    sort: PerformanceResultSortInput = { field: PerformanceResultSortField.STARTED_AT, direction: SortDirection.DESC },
    limit = 50,
    offset = 0,
  ): Promise<{ items: PerformanceResultEntity[]; total: number }> {
    const problems: InputProblem[] = [];
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      problems.push({ field: 'limit', message: `expected 1 to ${MAX_PAGE_SIZE}` });
    }
    if (!Number.isInteger(offset) || offset < 0) problems.push({ field: 'offset', message: 'expected 0 or more' });
    const after = isoOrProblem(filter.startedAfter, 'filter.startedAfter', problems);
    const before = isoOrProblem(filter.startedBefore, 'filter.startedBefore', problems);
    for (const status of filter.statuses ?? []) {
      if (!STATUSES.includes(status)) problems.push({ field: 'filter.statuses', message: `"${status}" is not one of ${STATUSES.join(', ')}` });
    }
    if (problems.length > 0) throw invalidInput('results query', problems);

    const query = this.results.createQueryBuilder('r');
    if (filter.profileId) query.andWhere('r.profileId = :profileId', { profileId: filter.profileId });
    if (after) query.andWhere('r.startedAt >= :after', { after });
    if (before) query.andWhere('r.startedAt < :before', { before });
    if (filter.statuses?.length) query.andWhere('r.status IN (:...statuses)', { statuses: filter.statuses });
    (filter.labels ?? []).forEach((label, i) => {
      const sub = this.results.manager
        .createQueryBuilder(PerformanceResultLabelEntity, `l${i}`)
        .select('1')
        .where(`l${i}.resultId = r.id`)
        .andWhere(`l${i}.key = :key${i}`)
        .andWhere(`l${i}.value = :value${i}`);
      query.andWhere(`EXISTS (${sub.getQuery()})`, { [`key${i}`]: label.key, [`value${i}`]: label.value });
    });
    const column = `r.${sort.field}`;
    const direction = sort.direction === SortDirection.ASC ? 'ASC' : 'DESC';
    query.orderBy(column, direction, direction === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST');
    if (sort.field !== PerformanceResultSortField.STARTED_AT) query.addOrderBy('r.startedAt', 'DESC');
    query.addOrderBy('r.id', 'ASC');
    const [items, total] = await query.take(limit).skip(offset).getManyAndCount();
    return { items, total };
  }

  async delete(id: string): Promise<boolean> {
    if (this.runs.isActive(id)) {
      throw apiError('PRECONDITION_FAILED', `Run ${id} is still running`, {
        field: 'id',
        probableCause: 'A running test cannot be deleted.',
        remediation: 'Cancel it first (cancelPerformanceTest), then delete it.',
      });
    }
    const { affected } = await this.results.delete({ id });
    if (!affected) throw notFound('performance result', id);
    return true;
  }
}
