import assert from 'node:assert/strict';
import { AdmissionProcessManager } from '#libs/admission';
import { FundingProcessManager } from '#libs/funding';
import type { AdjustableClock } from '#libs/platform';
import { eventually, fodselsnummerFor, type AppUnderTest } from '#libs/testing';
import { CHILDREN, GUARDIANS, OFFERINGS, Y1 } from './command-sequences.js';
import type { Command, Outcome } from './reference/school.js';

/**
 * The real platform driven over HTTP for one tenant: the model's labels mapped to the ids the platform gave, every
 * command sent as a caseworker (an admin where only an admin may), and the outcomes read back from the read models.
 */

const DISTRICT = 'Sentrum';
const SCHOOL = 'Sentrum skole';
const REASON = { reason: 'Model-based test of two school years' };

export class RealSchool {
  readonly offerings = new Map<string, string>(); // model label → offering id
  readonly people = new Map<string, string>(); // child or guardian label → person id
  private readonly applications = new Map<string, string>(); // child|offering → application id
  private admin = '';
  private caseworker = '';
  private auditor = '';

  constructor(
    private readonly sut: AppUnderTest,
    private readonly clock: AdjustableClock,
    readonly tenant: string,
    private readonly projections: readonly { name: string; eventTypes: readonly string[] | 'all' }[],
  ) {}

  private ok(response: { status: number; body: unknown }, what: string): Record<string, unknown> {
    assert.ok(
      response.status >= 200 && response.status < 300,
      `${what}: ${response.status} ${JSON.stringify(response.body)}`,
    );
    return response.body as Record<string, unknown>;
  }
  private post = (path: string, body: unknown = {}, token = this.caseworker) =>
    this.sut.request('POST', path, { token, body });
  private put = (path: string, body: unknown, token = this.admin) => this.sut.request('PUT', path, { token, body });

  labelOf(id: unknown): string {
    for (const [label, known] of [...this.people, ...this.offerings]) if (known === id) return label;
    return `unknown:${String(id)}`;
  }

  /** The tenant's registers, its people and the first year's offerings. */
  async setUp(day: string): Promise<void> {
    this.clock.set(`${day}T10:00:00Z`);
    this.admin = await this.sut.token('admin', this.tenant);
    this.caseworker = await this.sut.token('caseworker', this.tenant);
    this.auditor = await this.sut.token('auditor', this.tenant);
    const entries: [string, string, Record<string, unknown>][] = [
      ['districts', DISTRICT, { name: DISTRICT }],
      ['centres', DISTRICT, { name: DISTRICT, district: DISTRICT, openedOn: '2001-08-01' }],
      ['schools', 'sentrum-skole', { name: SCHOOL, district: DISTRICT }],
      ...OFFERINGS.map((o): [string, string, Record<string, unknown>] => [
        'subjects',
        o.key,
        { name: o.key, subjectGroup: 'music', forms: ['individual', 'group'] },
      ]),
    ];
    for (const [register, key, entry] of entries)
      this.ok(await this.put(`/registers/${register}/${encodeURIComponent(key)}`, { ...entry, ...REASON }), register);
    // The platform knows G up to 2025; the municipality sets the next year's. The model's incomes are far from 4 G,
    // so the 2025 amount stands in for it.
    this.ok(
      await this.put('/policies/funding/2026-2027', { rules: { baseAmountG: 13_016_000 }, ...REASON }),
      'G for 2026-2027',
    );
    for (const child of CHILDREN) await this.register(child.label, child.born);
    for (const [guardian, born] of Object.entries(GUARDIANS)) await this.register(guardian, born);
    for (const o of OFFERINGS) {
      const body = {
        ...{ subject: o.key, subjectGroup: 'music', programme: 'core', location: DISTRICT, district: DISTRICT },
        ...{ form: 'individual', capacity: o.capacity, feePerSemester: (o.feeOre / 100).toFixed(2), schoolYear: Y1 },
      };
      this.offerings.set(o.label, this.ok(await this.post('/enrolment/offerings', body), 'open').offeringId as string);
    }
    await this.settle();
  }

  private async register(label: string, born: string) {
    const body = { nationalId: fodselsnummerFor(born), name: `Person ${label}`, gender: 'female' };
    this.people.set(label, this.ok(await this.post('/people', body), `person ${label}`).personId as string);
  }

  private id(label: string): string {
    const id = this.people.get(label) ?? this.offerings.get(label);
    assert.ok(id, `no id for ${label}`);
    return id;
  }

  // --- time -------------------------------------------------------------------------------------------------

  /** The clock moves to the day; the admission and funding processes run their daily rules, as their ticks would. */
  async advanceTo(day: string): Promise<void> {
    this.clock.set(`${day}T10:00:00Z`);
    const admission = this.sut.app.get(AdmissionProcessManager, { strict: false });
    const funding = this.sut.app.get(FundingProcessManager, { strict: false });
    await this.settle();
    for (const tick of [
      () => admission.expireDueOffers(),
      () => admission.releaseEndedSeats(),
      () => admission.removeUnconfirmed(),
      () => admission.runDueMainAdmissions(),
      () => funding.expireEndedWaivers(),
    ]) {
      await tick();
      await this.settle();
    }
  }

  /** Every process and read model has handled every committed event, and nothing new has been appended since. */
  async settle(): Promise<void> {
    const { pool } = this.sut.db;
    let last = '';
    let why = '';
    await eventually(async () => {
      const { rows } = await pool.query<{ head: string | null }>('SELECT max(position)::text AS head FROM es_events');
      const head = rows[0]?.head ?? '';
      for (const manager of [AdmissionProcessManager, FundingProcessManager]) {
        // A process's checkpoint moves with the events it subscribes to: compared with the newest of those.
        const { settings } = this.sut.app.get(manager, { strict: false }) as unknown as {
          settings: { name: string; eventTypes: readonly string[]; refusedType: string };
        };
        const { rows: behind } = await pool.query<{ behind: boolean }>(
          `SELECT coalesce((SELECT position FROM subscription_checkpoints WHERE name = $1), -1)
                  < coalesce((SELECT max(position) FROM es_events WHERE event_type = ANY ($2)), 0) AS behind`,
          [settings.name, [...settings.eventTypes, settings.refusedType]],
        );
        if (behind[0]?.behind !== false) {
          why = `process ${settings.name} behind`;
          return undefined;
        }
      }
      for (const projection of this.projections) {
        const { rows: behind } = await pool.query<{ behind: boolean }>(
          `SELECT coalesce((SELECT p.position FROM projection_checkpoints p
                              JOIN projection_live l ON l.table_set = p.table_set WHERE l.projection = $1), -1)
                  < coalesce((SELECT max(position) FROM es_events WHERE $2::text[] IS NULL OR event_type = ANY ($2)), 0) AS behind`,
          [projection.name, projection.eventTypes === 'all' ? null : projection.eventTypes],
        );
        if (behind[0]?.behind !== false) {
          why = `projection ${projection.name} behind`;
          return undefined;
        }
      }
      // Caught up twice at the same head: no step of a process is still on its way.
      const settled = head === last;
      last = head;
      return settled ? true : undefined;
    }, 30_000).catch((error: unknown) => Promise.reject(new Error(`not settled: ${why}`, { cause: error })));
  }

  // --- commands ---------------------------------------------------------------------------------------------

  /** Sends the command the model ran; the platform must accept what the model did and refuse what it refused. */
  async run(command: Command, expected: Outcome): Promise<void> {
    if (expected === 'nothing') return;
    const response = await this.send(command);
    const accepted = response.status >= 200 && response.status < 300;
    assert.equal(
      accepted ? 'done' : response.status >= 400 && response.status < 500 ? 'refused' : `status ${response.status}`,
      expected,
      `${JSON.stringify(command)} on ${this.clock.now().toISOString().slice(0, 10)}: ${response.status} ${JSON.stringify(response.body)}`,
    );
    if (accepted && command.type === 'apply') {
      const body = response.body as { applicationId: string; childId: string };
      this.applications.set(`${command.child}|${command.offering}`, body.applicationId);
      assert.equal(body.childId, this.id(command.child), 'an application names the registered person (issue 14)');
    }
    if (accepted && command.type === 'rollover') {
      for (const { fromOfferingId, offeringId } of (response.body as { offerings: Record<string, string>[] })
        .offerings) {
        const from = this.labelOf(fromOfferingId);
        this.offerings.set(from.replace(Y1, '2026-2027'), offeringId ?? '');
      }
    }
    await this.settle();
    // The rollover carried the waiting entries over: each is the child's application to the successor from now on.
    if (accepted && command.type === 'rollover')
      for (const carried of await this.events<
        { childId: string; offeringId: string; applicationId: string } & {
          carriedOverFrom?: object;
        }
      >('ApplicationSubmitted'))
        if (carried.carriedOverFrom)
          this.applications.set(
            `${this.labelOf(carried.childId)}|${this.labelOf(carried.offeringId)}`,
            carried.applicationId,
          );
  }

  private async send(c: Command): Promise<{ status: number; body: unknown }> {
    switch (c.type) {
      case 'apply': {
        const guardian = CHILDREN.find((child) => child.label === c.child)?.guardian ?? 'g1';
        const born = CHILDREN.find((child) => child.label === c.child)?.born ?? '';
        return this.post(`/waitlist/offerings/${this.id(c.offering)}/applications`, {
          child: {
            name: `Child ${c.child}`,
            nationalId: fodselsnummerFor(born),
            gender: 'female',
            district: DISTRICT,
            school: SCHOOL,
          },
          guardian: {
            name: `Guardian ${guardian}`,
            email: 'guardian@example.no',
            nationalId: fodselsnummerFor(GUARDIANS[guardian] ?? ''),
          },
          specialNeeds: false,
        });
      }
      case 'answer': {
        const offerId = await this.openOffer(c.child, c.offering);
        return this.post(
          `/waitlist/offerings/${this.id(c.offering)}/offers/${offerId}/${c.accept ? 'accept' : 'decline'}`,
        );
      }
      case 'withdrawApplication':
        return this.post(`/waitlist/offerings/${this.id(c.offering)}/applications/${this.application(c)}/withdraw`, {});
      case 'reconfirm':
        return this.post(`/waitlist/offerings/${this.id(c.offering)}/applications/${this.application(c)}/reconfirm`, {
          schoolYear: '2026-2027',
        });
      case 'enrol': {
        const born = CHILDREN.find((child) => child.label === c.child)?.born ?? '';
        return this.post(`/enrolment/offerings/${this.id(c.offering)}/places`, {
          ...{ personId: this.id(c.child), birthYear: Number(born.slice(0, 4)), gender: 'female' },
          ...{ district: DISTRICT, school: SCHOOL },
        });
      }
      case 'withdraw': {
        const effectiveOn = addDaysIso(this.today(), c.lastDayIn);
        return this.post(`/enrolment/offerings/${this.id(c.offering)}/places/${await this.place(c)}/withdraw`, {
          effectiveOn,
        });
      }
      case 'transfer': {
        const effectiveOn = `${Number(c.offering.split('@')[1]?.slice(0, 4)) + 1}-01-01`;
        return this.post(`/enrolment/offerings/${this.id(c.offering)}/places/${await this.place(c)}/transfer`, {
          toOfferingId: this.id(c.to),
          effectiveOn,
        });
      }
      case 'reregister':
        return this.post(`/enrolment/places/${await this.place(c)}/reregistration`, { continue: c.continues });
      case 'registerPayer':
        return this.put(
          `/funding/children/${this.id(c.child)}/payer`,
          { payerNationalId: fodselsnummerFor(GUARDIANS[c.guardian] ?? '') },
          this.caseworker,
        );
      case 'waiver': {
        const today = this.today();
        const year = Number(today.slice(0, 4)) - (today.slice(5) < '08-01' ? 1 : 0);
        const applied = await this.post('/funding/fee-waivers/applications', {
          payerNationalId: fodselsnummerFor(GUARDIANS[c.guardian] ?? ''),
          ...{
            householdSize: 3,
            householdIncomeNok: c.lowIncome ? 200_000 : 1_500_000,
            schoolYear: `${year}-${year + 1}`,
          },
        });
        if (applied.status >= 300) return applied;
        const applicationId = (applied.body as { applicationId: string }).applicationId;
        return this.post(`/funding/fee-waivers/applications/${applicationId}/decision`, {});
      }
      case 'erase':
        return this.post(`/people/${this.id(c.child)}/erase`, REASON, this.admin);
      case 'rollover': {
        // No adjustments: the field is left out (an empty list is refused as naming nothing).
        const body = c.drop ? { adjustments: [{ fromOfferingId: this.id(`${c.drop}@${Y1}`), drop: true }] } : {};
        return this.post('/enrolment/school-years/2026-2027/rollover', body, this.admin);
      }
      case 'mainAdmission':
        return this.post(`/waitlist/offerings/${this.id(c.offering)}/main-admission`);
    }
  }

  private today = () => this.clock.now().toISOString().slice(0, 10);

  private application(c: { child: string; offering: string }): string {
    const id = this.applications.get(`${c.child}|${c.offering}`);
    assert.ok(id, `no application of ${c.child} to ${c.offering}`);
    return id;
  }

  /** Events of this tenant, oldest first. */
  private async events<T>(type: string): Promise<T[]> {
    const { rows } = await this.sut.db.pool.query<{ data: T }>(
      `SELECT data FROM es_events WHERE event_type = $1 AND stream_name LIKE $2 ORDER BY position`,
      [type, `${this.tenant}.%`],
    );
    return rows.map((r) => r.data);
  }

  private async openOffer(child: string, offering: string): Promise<string> {
    const offers = await this.events<{ offerId: string; offeringId: string; childId: string }>('PlaceOffered');
    const offer = offers.filter((o) => o.offeringId === this.id(offering) && o.childId === this.id(child)).at(-1);
    assert.ok(offer, `the model has an open offer to ${child} in ${offering}; the platform made none`);
    return offer.offerId;
  }

  /** The child's place in the offering that has not ended by notice: the newest one enrolled. */
  private async place(c: { child: string; offering: string }): Promise<string> {
    const enrolled = await this.events<{ placeId: string; offeringId: string; studentId: string }>('PlaceEnrolled');
    const place = enrolled
      .filter((p) => p.offeringId === this.id(c.offering) && p.studentId === this.id(c.child))
      .at(-1);
    assert.ok(place, `the model has a place of ${c.child} in ${c.offering}; the platform has none`);
    return place.placeId;
  }

  // --- outcomes ---------------------------------------------------------------------------------------------

  async waitlists(): Promise<Record<string, { queue: string[]; offered: string[] }>> {
    const result: Record<string, { queue: string[]; offered: string[] }> = {};
    for (const [label, id] of this.offerings) {
      const queue = this.ok(
        await this.sut.request('GET', `/waitlist/queue?offeringId=${id}`, { token: this.caseworker }),
        'queue',
      );
      const offers = this.ok(
        await this.sut.request('GET', `/waitlist/queue/offers?offeringId=${id}`, {
          token: this.caseworker,
        }),
        'offers',
      );
      result[label] = {
        queue: (queue.items as { childId: string; position: number }[])
          .sort((a, b) => a.position - b.position)
          .map((i) => this.labelOf(i.childId)),
        offered: (offers.items as { childId: string }[]).map((i) => this.labelOf(i.childId)).sort(),
      };
    }
    return result;
  }

  /** Who holds which place in which offering (so school year), from the statistics read model's places. */
  async places(): Promise<string[]> {
    const { rows } = await this.sut.db.pool.query<{
      student_id: string;
      offering_id: string;
      started_on: string;
      ended_on: string | null;
    }>(`SELECT student_id, offering_id, started_on::text, ended_on::text FROM stat_places WHERE tenant = $1`, [
      this.tenant,
    ]);
    return rows
      .map((r) => `${this.labelOf(r.student_id)} ${this.labelOf(r.offering_id)} ${r.started_on}..${r.ended_on ?? ''}`)
      .sort();
  }

  /** Fee lines as billing receives them: each payer's latest assessment of each semester with any line, in øre. */
  async feeLines(): Promise<Record<string, number>> {
    const assessed = await this.events<{
      payerId: string;
      schoolYear: string;
      term: string;
      lines: unknown[];
      owes: number;
    }>('SemesterFeesAssessed');
    const latest = new Map<string, { lines: unknown[]; owes: number }>();
    for (const a of assessed) latest.set(`${this.labelOf(a.payerId)} ${a.schoolYear}/${a.term}`, a);
    return Object.fromEntries([...latest].filter(([, a]) => a.lines.length > 0).map(([key, a]) => [key, a.owes]));
  }

  /** The counts GSI takes on 1 October: students once, places, waiting children. */
  async countsOn(schoolYear: string, day: string) {
    const body = this.ok(
      await this.sut.request('GET', `/statistics/summary?schoolYear=${schoolYear}&date=${day}`, {
        token: this.auditor,
      }),
      'summary',
    );
    const summary = body.summary as { students: number; places: number; waitingChildren: number };
    return { students: summary.students, places: summary.places, waitingChildren: summary.waitingChildren };
  }
}

const addDaysIso = (day: string, days: number): string => {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};
