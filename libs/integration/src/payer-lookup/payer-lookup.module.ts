import { Module } from '@nestjs/common';
import { PayerLookupController } from './payer-lookup.controller.js';
import { PayerReferences } from './payer-references.js';

/** GET /integration/payers/:payerRef for billing systems (role integration, audited). Needs PlatformModule. */
@Module({ controllers: [PayerLookupController], providers: [PayerReferences], exports: [PayerReferences] })
export class PayerLookupModule {}
