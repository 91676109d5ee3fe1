import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { stringify as toYaml } from 'yaml';
import { SERVER_CONFIG, type ServerConfig } from '../../config/server-config.js';
import { toResultModel } from '../performance-models.mapper.js';
import { PerformanceResultsService } from '../performance-results.service.js';
import { toSmpDocument } from './smp-document.js';

/** Plain-HTTP downloads of results: the full result as JSON, and its SMP document. */
@Controller('api/performance/results')
export class SmpController {
  constructor(
    private readonly results: PerformanceResultsService,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  private async load(id: string) {
    const result = await this.results.find(id);
    if (!result) {
      throw new NotFoundException({
        code: 'NOT_FOUND',
        message: `No performance result with id "${id}"`,
        remediation: 'List results with the performanceResults query to find the right id.',
      });
    }
    return result;
  }

  private detailsUri(id: string): string {
    return `${this.config.publicUrl}/api/performance/results/${encodeURIComponent(id)}`;
  }

  @Get(':id')
  @Header('content-type', 'application/json; charset=utf-8')
  async details(@Param('id') id: string) {
    return toResultModel(await this.load(id), this.config.publicUrl);
  }

  @Get(':id/smp.json')
  async smpJson(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const document = toSmpDocument(await this.load(id), this.detailsUri(id));
    res
      .status(200)
      .type('application/json')
      .attachment(`smp-result-${id}.json`)
      .send(`${JSON.stringify(document, null, 2)}\n`);
  }

  @Get(':id/smp.yaml')
  async smpYaml(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const document = toSmpDocument(await this.load(id), this.detailsUri(id));
    res.status(200).type('application/yaml').attachment(`smp-result-${id}.yaml`).send(toYaml(document, { aliasDuplicateObjects: false }));
  }
}
