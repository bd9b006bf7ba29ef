import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '#libs/audit';
import { PlatformModule, type Runtime } from '#libs/platform';

/**
 * The auditors' API (/audit: history, state as of a moment, integrity, access trail, retention) on its own, and the
 * seals of the store. It reads the projector's audit_mentions index; it runs no projection itself.
 */
@Module({})
export class AuditApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: AuditApp, imports: [PlatformModule.forRuntime(runtime), AuditModule] };
  }
}
