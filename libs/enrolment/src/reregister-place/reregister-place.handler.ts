import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from '#libs/database';
import { BusCommand, PG_POOL, stepOf, type CommandContext } from '#libs/platform';
import { PlaceNotFound, type OfferingEvent, type PlaceWithdrawn } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';
import { complete } from '../shared/multi-stream.js';

export class ReregisterPlaceCommand extends BusCommand<{ placeId: string; continues: boolean }> {}

/**
 * Rule 6: the answer of a place asked to continue or quit. A quit ends the place on its school year's last day, so it
 * is a withdrawal with that day (rule 7 decides the fees) and gives the student's place up, as a withdrawal does.
 */
@CommandHandler(ReregisterPlaceCommand)
export class ReregisterPlaceHandler implements ICommandHandler<ReregisterPlaceCommand> {
  constructor(
    private readonly enrolment: EnrolmentStreams,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async execute({ data: { placeId, continues }, context }: ReregisterPlaceCommand) {
    const offeringId = await this.offeringOf(context, placeId);
    const answer = { type: 'Reregister' as const, data: { placeId, continues } };
    const decided = await this.enrolment.checkOffering(offeringId, answer, context);
    await giveUpQuittingPlaces(this.enrolment, decided, context);
    const result = await complete(
      () => this.enrolment.offering(offeringId, answer, context),
      (error) => error instanceof PlaceNotFound,
    );
    return { offeringId, placeId, continues, revision: result?.revision };
  }

  /** The place's offering, from the offerings read model (a place id names no stream). */
  private async offeringOf(context: CommandContext, placeId: string): Promise<string> {
    const { rows } = await this.pool.query<{ offering_id: string }>(
      `SELECT offering_id FROM offering_places WHERE tenant = $1 AND place_id = $2`,
      [context.principal.tenant, placeId],
    );
    const offeringId = rows[0]?.offering_id;
    if (!offeringId) throw new PlaceNotFound(placeId);
    return offeringId;
  }
}

/** The student's side of each quit (its place given up), written before the offering's, as a withdrawal does. */
export const giveUpQuittingPlaces = async (
  enrolment: EnrolmentStreams,
  decided: readonly OfferingEvent[],
  context: CommandContext,
  endedWithItsOffering = false,
): Promise<void> => {
  const { tenant } = context.principal;
  for (const withdrawn of decided.filter((e): e is PlaceWithdrawn => e.type === 'PlaceWithdrawn')) {
    const { studentId, placeId } = withdrawn.data;
    const step = stepOf(context, `student-${placeId}`);
    if (await enrolment.studentStepLanded(tenant, studentId, step.commandId)) continue;
    const data = endedWithItsOffering ? { placeId, endedWithItsOffering } : { placeId };
    await enrolment.student(studentId, { type: 'GiveUpPlace', data }, step);
  }
};
