import { Controller, Get, Inject, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiBadRequestResponse,
  ApiUnauthorizedResponse,
  ApiNotFoundResponse,
} from '@nestjs/swagger';
import type { Pool } from '#libs/database';
import { osloDate, schoolYearOf } from '#libs/calendar';
import { isErasedValue, PeopleRegister } from '#libs/personal-data';
import { AccessTrail, Clock, PG_POOL, Roles, type Principal } from '#libs/platform';
import { listRequest, ReadFrom, ReadModel, runList, type ReadContext, type ReadModelBody } from '#libs/query';
import { reregistrationWorklistProjection } from './reregistration-worklist.projection.js';
import {
  REREGISTRATION_STATES,
  unansweredReregistrationsSpec,
  type UnansweredReregistration,
} from './reregistration-worklist.query.js';
import { UnansweredReregistrationsQueryParams } from './reregistration-worklist.request.js';

/** The roles that may see a child's name on a worklist; every other role gets ids. */
const NAME_ROLES: readonly string[] = ['admin', 'caseworker'];

class UnansweredReregistrationDto {
  @ApiProperty() placeId!: string;
  @ApiProperty() offeringId!: string;
  @ApiProperty({ description: "The student's pseudonymous id" }) studentId!: string;
  @ApiPropertyOptional({ description: 'Only with names=true, for admin and caseworker' }) childName?: string;
  @ApiProperty({ type: String, nullable: true, example: 'Fiolin' }) subject!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Huseby' }) location!: string | null;
  @ApiProperty({ example: '2025-2026' }) schoolYear!: string;
  @ApiProperty({ example: '2026-05-01', description: 'The last day to answer' }) deadline!: string;
  @ApiProperty({ example: '2026-04-01' }) requestedOn!: string;
  @ApiProperty({ type: String, nullable: true }) remindedOn!: string | null;
  @ApiProperty({ enum: REREGISTRATION_STATES }) state!: string;
  @ApiProperty({ example: 3 }) daysOverdue!: number;
  @ApiProperty({
    example: '/enrolment/places/3f2c…/reregistration',
    description: 'POST {"continue": true|false} here to answer on the family’s behalf',
  })
  answerAt!: string;
}

class UnansweredReregistrationsDto {
  @ApiProperty({ type: [UnansweredReregistrationDto] }) items!: UnansweredReregistrationDto[];
  @ApiProperty({ description: 'Paging: next cursor, or page and total' }) page!: object;
  @ApiProperty({ description: 'The read model’s position and last event' }) freshness!: object;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { type: 'object' } } },
});

/**
 * Rule 6's worklist for caseworkers: places asked to re-register whose family did not reply by the deadline, each
 * with the route that answers for the family (`POST /enrolment/places/{placeId}/reregistration`).
 */
@ApiTags('enrolment (read model)')
@ApiBearerAuth()
@Controller('enrolment/worklists')
export class ReregistrationWorklistController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly people: PeopleRegister,
    private readonly trail: AccessTrail,
  ) {}

  @Get('reregistrations')
  @Roles('admin', 'caseworker')
  @ApiOperation({
    summary: 'Re-registrations not answered: places whose family did not reply by the deadline',
    description:
      'Places asked in the spring to continue or quit (rule 6) with no reply from the family: overdue (the deadline ' +
      'passed, silence not yet applied) or answered by the policy’s silence (continued or quit). A reply takes the ' +
      'place off the list. Default: the current school year, deadlines passed only (`includeAwaiting=true` adds the ' +
      'ones still ahead). With `names=true` an admin or caseworker gets each child’s name, and each read is recorded ' +
      'in the access trail. `?format=csv` exports the rows.',
  })
  @ApiOkResponse({ type: UnansweredReregistrationsDto })
  @ApiBadRequestResponse(problem('A filter, sort or paging value that is not valid'))
  @ApiUnauthorizedResponse(problem('No bearer token, or one that does not verify'))
  @ApiForbiddenResponse(problem('The role may not read worklists (admin and caseworker may)'))
  @ApiNotFoundResponse(problem('`asOf` names no finished as-of build'))
  @ReadModel({ projection: reregistrationWorklistProjection, csvName: 'reregistrations-unanswered' })
  async unanswered(
    @Query() query: UnansweredReregistrationsQueryParams,
    @ReadFrom() read: ReadContext,
  ): Promise<ReadModelBody> {
    await this.trail.recordRead(read.principal, 'enrolment.worklists.reregistrations', 'list');
    const today = osloDate(this.clock.now().toISOString());
    const spec = unansweredReregistrationsSpec(read.source.table, today, query.includeAwaiting === 'true');
    const filters = {
      schoolYear: query.schoolYear ?? schoolYearOf(this.clock.now().toISOString()),
      state: query.state,
      offeringId: query.offeringId,
    };
    const result = await runList(this.pool, spec, listRequest(read, query, filters));
    const withNames = query.names === 'true' && NAME_ROLES.includes(read.principal.role) && !read.csv;
    const items = [];
    for (const row of result.items as unknown as UnansweredReregistration[])
      items.push({
        ...row,
        ...(withNames ? { childName: await this.nameOf(read.principal, row.studentId) } : {}),
        answerAt: `/enrolment/places/${row.placeId}/reregistration`,
      });
    return { ...result, items };
  }

  private async nameOf(principal: Principal, studentId: string): Promise<string> {
    await this.trail.recordRead(principal, 'read child name (re-registration worklist)', studentId);
    const { name } = await this.people.read(principal.tenant, studentId, ['name']);
    return name === undefined ? '' : isErasedValue(name) ? '[erased]' : name;
  }
}
