import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OperationEventEntity } from './entities/operation-event.entity.js';
import { OperationEntity } from './entities/operation.entity.js';
import { OperationsResolver } from './operations.resolver.js';
import { OperationsService } from './operations.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([OperationEntity, OperationEventEntity])],
  providers: [OperationsService, OperationsResolver],
  exports: [OperationsService],
})
export class OperationsModule {}
