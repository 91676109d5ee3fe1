import type { LoadGenerator } from '@meshery/plugin-api';
import type { Registered } from '@meshery/plugin-host';
import { Injectable } from '@nestjs/common';
import { apiError } from '../graphql/api-error.js';
import { PluginsService } from '../plugins/plugins.service.js';

/** The load generators that loaded plugins offer. */
@Injectable()
export class LoadGeneratorsService {
  constructor(private readonly plugins: PluginsService) {}

  list(): Registered<LoadGenerator>[] {
    return this.plugins.loadGenerators();
  }

  /** The generator with this name, or the first one when no name is given. */
  resolve(name: string | undefined, field: string): Registered<LoadGenerator> {
    const all = this.list();
    if (all.length === 0) {
      throw apiError('PRECONDITION_FAILED', 'No load generator is available', {
        field,
        probableCause: 'No load-generator plugin is loaded (see the plugins query for why).',
        remediation: 'Install or fix a load-generator plugin such as perf-autocannon and restart the server.',
      });
    }
    if (name === undefined || name === '') return all[0]!;
    const found = all.find((g) => g.provider.descriptor.name === name);
    if (!found) {
      throw apiError('INVALID_REQUEST', `${field}: no load generator named "${name}"`, {
        field,
        probableCause: 'The name is mistyped, or its plugin is not loaded.',
        remediation: `Use one of: ${all.map((g) => g.provider.descriptor.name).join(', ')}.`,
      });
    }
    return found;
  }
}
