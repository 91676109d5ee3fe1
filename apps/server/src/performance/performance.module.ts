import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PluginsModule } from '../plugins/plugins.module.js';
import { PerformanceProfileEntity } from './entities/performance-profile.entity.js';
import { PerformanceResultLabelEntity } from './entities/performance-result-label.entity.js';
import { PerformanceResultEntity } from './entities/performance-result.entity.js';
import { LoadGeneratorsService } from './load-generators.service.js';
import { PerformanceComparisonService } from './performance-comparison.service.js';
import { PerformanceProfilesResolver } from './performance-profiles.resolver.js';
import { PerformanceProfilesService } from './performance-profiles.service.js';
import { PerformanceResultsResolver } from './performance-results.resolver.js';
import { PerformanceResultsService } from './performance-results.service.js';
import { PerformanceRunsService } from './performance-runs.service.js';
import { SmpController } from './smp/smp.controller.js';
import { SmpImportService } from './smp/smp-import.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([PerformanceProfileEntity, PerformanceResultEntity, PerformanceResultLabelEntity]),
    PluginsModule,
  ],
  controllers: [SmpController],
  providers: [
    LoadGeneratorsService,
    PerformanceProfilesService,
    PerformanceProfilesResolver,
    PerformanceRunsService,
    PerformanceResultsService,
    PerformanceResultsResolver,
    PerformanceComparisonService,
    SmpImportService,
  ],
})
export class PerformanceModule {}
