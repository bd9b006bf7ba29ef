import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, runApp, type Runtime } from '#libs/platform';
import { projectionsMigrations, ProjectionsModule } from '#libs/projections';
import { registeredProjections } from '#libs/read-models';

@Module({})
class ProjectorApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: ProjectorApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        ProjectionsModule.register({ projections: registeredProjections, run: true }),
      ],
    };
  }
}

await runApp({
  name: 'projector',
  module: (runtime) => ProjectorApp.forRuntime(runtime),
  migrations: projectionsMigrations,
});
