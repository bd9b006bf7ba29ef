import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, projectionSharding, type Runtime } from '#libs/platform';
import { ProjectionsModule } from '#libs/projections';
import { registeredProjections } from '#libs/read-models';

@Module({})
export class ProjectorApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: ProjectorApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        ProjectionsModule.register({
          projections: registeredProjections,
          run: true,
          sharding: projectionSharding(runtime.config),
        }),
      ],
    };
  }
}
