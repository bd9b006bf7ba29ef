import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessTrail, CurrentPrincipal, Roles, type Principal, QueryOperation, shape } from '#libs/platform';
import { PayerReferences, type PayerReference } from './payer-references.js';

/** Billing resolves a message's payerRef here; every lookup, found or not, is in the access trail. */
@ApiTags('integration')
@ApiBearerAuth()
@Controller('integration/payers')
export class PayerLookupController {
  constructor(
    private readonly references: PayerReferences,
    private readonly trail: AccessTrail,
  ) {}

  @QueryOperation({
    summary: "For the billing system: a payer's national id from the reference in an event",
    description: 'Each look-up is recorded in the access trail.',
    response: shape({}, { additionalProperties: true }),
    errors: [404],
  })
  @Get(':payerRef')
  @Roles('integration')
  async resolve(
    @Param('payerRef') payerRef: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PayerReference> {
    await this.trail.recordRead(principal, 'integration.payer-lookup', payerRef);
    const reference = await this.references.find(principal.tenant, payerRef);
    if (!reference) throw new NotFoundException(`No payer ${payerRef} in tenant ${principal.tenant}`);
    return reference;
  }
}
