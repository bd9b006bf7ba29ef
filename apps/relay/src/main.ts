import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { integrationMigrations, PayerLookupModule, RelayModule } from '#libs/integration';
import { PlatformModule, runApp, type Runtime } from '#libs/platform';

/** The integration app: the relay ($all → Kafka) and the payer lookup billing systems call. */
@Module({})
class RelayApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: RelayApp, imports: [PlatformModule.forRuntime(runtime), RelayModule, PayerLookupModule] };
  }
}

await runApp({ name: 'relay', module: (runtime) => RelayApp.forRuntime(runtime), migrations: integrationMigrations });
