import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule, offeringsProjection } from '#libs/enrolment';
import { FundingHttpModule, fundingMigrations } from '#libs/funding';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock, PoliciesHttpModule, RegistersHttpModule } from '#libs/platform';
import { ProjectionsModule, projectionsMigrations } from '#libs/projections';
import { statisticsMigrations, StatisticsModule, statisticsProjection } from '#libs/statistics';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { WaitlistHttpModule, waitlistQueueProjection } from '#libs/waitlist';
import {
  CHILDREN,
  END,
  OFFERINGS,
  PHASES,
  ROLLOVER_DAY,
  sequences,
  START,
  Y1,
  Y2,
  type Sequence,
} from './command-sequences.js';
import { RealSchool } from './real-school.js';
import { countsOn, feeLines, places, waitlists } from './reference/outcomes.js';
import { advanceTo, emptySchool, nextDueDay, run, type Command, type School } from './reference/school.js';

/**
 * Issue 14, the model-based test: command sequences through two school years run through the real command handlers
 * (over HTTP, with the admission and funding processes and the read models) and through a reference model written
 * from the domain brief's rules (test/model/reference, no code shared with the deciders). After each sequence the
 * waitlists, the places, the fee lines and the counts GSI takes on 1 October must be the model's. Each sequence runs
 * in a tenant of its own on one database, so nothing of one leaks into the next.
 */

const RUNS = Number(process.env.MODEL_RUNS ?? 15);
const PER_PHASE = Number(process.env.MODEL_COMMANDS_PER_PHASE ?? 5);
// The rollover proposes the next year from the offerings read model.
const projections = [waitlistQueueProjection, statisticsProjection, offeringsProjection];

const ModelApp = platformWith(
  PersonalDataHttpModule,
  RegistersHttpModule,
  PoliciesHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  FundingHttpModule,
  ProjectionsModule.register({ projections, run: true, idleMs: 20 }),
  StatisticsModule,
);

describe('two school years, model-based: the platform answers as the rules say', () => {
  const clock = new AdjustableClock(new Date(`${START}T10:00:00Z`));
  let sut: AppUnderTest;
  let sequencesRun = 0;
  let commandsRun = 0;

  beforeAll(async () => {
    sut = await startAppUnderTest(ModelApp, {
      migrations: [
        ...admissionMigrations,
        ...personalDataMigrations,
        ...projectionsMigrations,
        ...statisticsMigrations,
        ...fundingMigrations,
      ],
      clock,
      env: { LOG_LEVEL: process.env.MODEL_LOG_LEVEL ?? 'silent' },
    });
  }, 60_000);
  afterAll(async () => {
    console.log(`model-based test: ${sequencesRun} sequences, ${commandsRun} commands through two school years`);
    await sut?.close();
  });

  /** One sequence through the model and the platform side by side; each command's acceptance must agree too. */
  const runSequence = async ({ phases, drop }: Sequence): Promise<void> => {
    const tenant = `model-${sequencesRun + 1}-${randomBytes(3).toString('hex')}`;
    const real = new RealSchool(sut, clock, tenant, projections);
    const model = emptySchool(
      START,
      CHILDREN,
      OFFERINGS.map((o) => ({ ...o })),
    );
    await real.setUp(START);
    sequencesRun++;
    const passTimeTo = async (day: string) => {
      while (model.today < day) {
        const next = nextDueDay(model, day);
        advanceTo(model, next);
        await real.advanceTo(next);
      }
    };
    const step = async (day: string, command: Command) => {
      await passTimeTo(day);
      await real.run(command, run(model, command));
      commandsRun++;
    };
    for (const [index, steps] of phases.entries()) {
      if (PHASES[index]?.from === '2026-06-02') {
        // The rollover carries the entries still waiting on the old year over, in their order, as the model does.
        await step(ROLLOVER_DAY, { type: 'rollover', drop });
      }
      for (const { day, command } of steps) await step(day, command);
    }
    await passTimeTo(END);
    await compare(model, real);
  };

  const compare = async (model: School, real: RealSchool) => {
    assert.deepEqual(await real.places(), places(model), 'places: who holds which place in which school year');
    assert.deepEqual(await real.waitlists(), waitlists(model), 'waitlists: who waits where, in which order');
    assert.deepEqual(await real.feeLines(), feeLines(model, [Y1, Y2]), 'fee lines per payer and semester (øre)');
    for (const [schoolYear, day] of [
      [Y1, '2025-10-01'],
      [Y2, '2026-10-01'],
    ] as const)
      assert.deepEqual(await real.countsOn(schoolYear, day), countsOn(model, schoolYear, day), `GSI counts on ${day}`);
  };

  it(
    'keeps the waitlists, places, fee lines and 1 October counts of the reference model',
    async () => {
      await fc.assert(fc.asyncProperty(sequences(PER_PHASE), runSequence), {
        numRuns: RUNS,
        ...(process.env.MODEL_SEED ? { seed: Number(process.env.MODEL_SEED) } : {}),
        endOnFailure: process.env.MODEL_SHRINK !== '1',
        verbose: 1,
      });
    },
    20 * 60_000,
  );
});
