import { Module, type DynamicModule } from '@nestjs/common';
import { PayerLookupModule, RelayModule } from '#libs/integration';
import { PlatformModule, type Runtime } from '#libs/platform';

/** The integration app: the relay ($all → Kafka) and the payer lookup billing systems call. */
@Module({})
export class RelayApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: RelayApp, imports: [PlatformModule.forRuntime(runtime), RelayModule, PayerLookupModule] };
  }
}
