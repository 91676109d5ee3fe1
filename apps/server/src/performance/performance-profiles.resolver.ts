import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CreatePerformanceProfileInput, UpdatePerformanceProfileInput } from './dto/performance.inputs.js';
import { PerformanceProfileModel } from './models/performance.models.js';
import { toProfileModel } from './performance-models.mapper.js';
import { PerformanceProfilesService } from './performance-profiles.service.js';

@Resolver(() => PerformanceProfileModel)
export class PerformanceProfilesResolver {
  constructor(private readonly profiles: PerformanceProfilesService) {}

  @Query(() => [PerformanceProfileModel], { description: 'Saved load tests, by name.' })
  async performanceProfiles(): Promise<PerformanceProfileModel[]> {
    return (await this.profiles.list()).map(toProfileModel);
  }

  @Query(() => PerformanceProfileModel)
  async performanceProfile(@Args('id', { type: () => ID }) id: string): Promise<PerformanceProfileModel> {
    return toProfileModel(await this.profiles.get(id));
  }

  @Mutation(() => PerformanceProfileModel)
  async createPerformanceProfile(@Args('input') input: CreatePerformanceProfileInput): Promise<PerformanceProfileModel> {
    return toProfileModel(await this.profiles.create(input));
  }

  @Mutation(() => PerformanceProfileModel)
  async updatePerformanceProfile(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdatePerformanceProfileInput,
  ): Promise<PerformanceProfileModel> {
    return toProfileModel(await this.profiles.update(id, input));
  }

  @Mutation(() => Boolean, { description: 'Deletes a profile; results of its runs are kept.' })
  deletePerformanceProfile(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.profiles.delete(id);
  }
}
