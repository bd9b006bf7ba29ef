import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext, shape } from '#libs/platform';
import { ChangeCapacityCommand } from '../change-capacity/change-capacity.handler.js';
import { ChangeCapacityRequest } from '../change-capacity/change-capacity.request.js';
import { ChangeFeeCommand } from '../change-fee/change-fee.handler.js';
import { ChangeFeeRequest } from '../change-fee/change-fee.request.js';
import { SetPriceListCommand } from '../change-fee/price-list.handler.js';
import { PriceListRequest } from '../change-fee/price-list.request.js';
import { kronerToOre } from '../domain/index.js';
import { CloseOfferingCommand } from '../close-offering/close-offering.handler.js';
import { OpenOfferingCommand } from '../open-offering/open-offering.handler.js';
import { OpenOfferingRequest, requestedFeeOre } from '../open-offering/open-offering.request.js';
import { RecordCancelledLessonsCommand } from '../record-cancelled-lessons/record-cancelled-lessons.handler.js';
import { CancelledLessonsRequest } from '../record-cancelled-lessons/record-cancelled-lessons.request.js';

/** Offerings: open one, change its capacity, close it, record its cancelled lessons. */
@ContextController('enrolment', 'enrolment/offerings')
export class OfferingsController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', {
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Open an offering (a subject at a place, for a school year)',
      response: shape({ offeringId: 'uuid', revision: 'integer?' }),
      example: { offeringId: '0b5a3f5e-8d1c-4f3e-9a57-1c2d3e4f5a6b', revision: 0 },
    },
  })
  open(@Body() body: OpenOfferingRequest, @CommandContextOf() context: CommandContext) {
    const { feePerSemester: _kroner, feePerSemesterNok: _nok, ...details } = body;
    return this.commands.execute(
      new OpenOfferingCommand({ ...details, feePerSemesterOre: requestedFeeOre(body) }, context),
    );
  }

  @WriteRoute('PUT', {
    path: ':offeringId/capacity',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: "Change an offering's capacity",
      response: shape({ offeringId: 'uuid', capacity: 'integer', revision: 'integer?' }),
      errors: [404],
    },
  })
  changeCapacity(
    @UuidParam('offeringId') offeringId: string,
    @Body() { capacity }: ChangeCapacityRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ChangeCapacityCommand({ offeringId, capacity }, context));
  }

  @WriteRoute('PUT', {
    path: ':offeringId/fee',
    status: 200,
    roles: ['admin'],
    doc: {
      summary: "Change an offering's fee from a semester's first day",
      response: shape({ offeringId: 'uuid', feePerSemesterOre: 'integer', changed: 'boolean', revision: 'integer?' }),
      errors: [404],
    },
  })
  changeFee(
    @UuidParam('offeringId') offeringId: string,
    @Body() { feePerSemester, effectiveFrom, reason }: ChangeFeeRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const feePerSemesterOre = kronerToOre(feePerSemester);
    return this.commands.execute(
      new ChangeFeeCommand({ offeringId, feePerSemesterOre, effectiveFrom, reason }, context),
    );
  }

  /** Several offerings' fees from one semester's first day, for one reason: the year's price list. */
  @WriteRoute('PUT', {
    path: 'fees',
    status: 200,
    roles: ['admin'],
    doc: {
      summary: "Set the year's price list: several offerings' fees at once",
      response: shape({ effectiveFrom: 'string', offerings: 'integer' }),
      errors: [404],
    },
  })
  setPriceList(@Body() { effectiveFrom, reason, fees }: PriceListRequest, @CommandContextOf() context: CommandContext) {
    const priced = fees.map(({ offeringId, feePerSemester }) => ({
      offeringId,
      feePerSemesterOre: kronerToOre(feePerSemester),
    }));
    return this.commands.execute(new SetPriceListCommand({ effectiveFrom, reason, fees: priced }, context));
  }

  @WriteRoute('POST', {
    path: ':offeringId/close',
    status: 200,
    roles: ['admin'],
    doc: {
      summary: 'Close an offering',
      response: shape({ offeringId: 'uuid', status: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  close(@UuidParam('offeringId') offeringId: string, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new CloseOfferingCommand({ offeringId }, context));
  }

  @WriteRoute('PUT', {
    path: ':offeringId/cancelled-lessons',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: "Record an offering's cancelled lessons for a term",
      description: 'Many cancelled lessons give families a partial refund of the fee.',
      response: shape({ offeringId: 'uuid', schoolYear: 'string', term: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  recordCancelledLessons(
    @UuidParam('offeringId') offeringId: string,
    @Body() { schoolYear, term, cancelledLessons }: CancelledLessonsRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const lessons = { schoolYear, term, cancelledLessons };
    return this.commands.execute(new RecordCancelledLessonsCommand({ offeringId, lessons }, context));
  }
}
