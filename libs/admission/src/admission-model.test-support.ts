import { DomainError, type Decider } from '#libs/decider';
import { addDays, osloDate } from '#libs/calendar';
import {
  createOfferingDecider,
  createStudentDecider,
  evolve as evolveOffering,
  evolveStudent,
  type Offering,
  type OfferingCommand,
  type OfferingEvent,
  type Student,
  type StudentCommand,
  type StudentEvent,
} from '#libs/enrolment';
import {
  createWaitlistDecider,
  evolve as evolveWaitlist,
  MainAdmissionHasNotRun,
  SchoolYearHasEnded,
  NobodyIsWaiting,
  OfferingAdmitsByAudition,
  orderQueue,
  offerableEntries,
  waitlistPolicies,
  WaitlistIsNotOpen,
  type ApplicationSubmitted,
  type Waitlist,
  type WaitlistCommand,
  type WaitlistEvent,
} from '#libs/waitlist';

/*
 * A synchronous model of admission (issue 12) for property specs: the real offering, waitlist and student deciders,
 * glued by the reactions AdmissionProcessManager runs (admission.process-manager.ts), with no store, bus or clock.
 * Events wait in `unprocessed` until the model's process manager handles them, in the order they were appended, as the
 * subscription would; `settle` catches up, so a spec can also let outside commands race ahead of admission.
 */

export const OFFERING = 'offering-guitar';
/** The other offering a transfer moves a place to. */
export const TARGET = 'offering-piano';
export const SCHOOL_YEAR = '2025-2026';
export const START = '2025-08-15T08:00:00.000Z';
export const waitlistPolicy = waitlistPolicies()(SCHOOL_YEAR);

/** The model's process manager's record of a refused step (AdmissionStepRefused); only EnrolStudent is followed up. */
export interface EnrolmentRefused {
  readonly type: 'AdmissionStepRefused';
  readonly data: { readonly step: 'EnrolStudent'; readonly offerId: string; readonly code: string };
}

export type Stream = 'offering' | 'target' | 'waitlist' | 'student' | 'admission';
export type AnyEvent = OfferingEvent | WaitlistEvent | StudentEvent | EnrolmentRefused;
export interface Recorded {
  readonly stream: Stream;
  readonly event: AnyEvent;
  /** The model's clock when the event was appended. */
  readonly at: string;
}

/** What a step from outside admission does: families, caseworkers, and time passing. */
export type Outside =
  | { readonly kind: 'enrol'; readonly child: number }
  | { readonly kind: 'capacity'; readonly capacity: number }
  | { readonly kind: 'close' }
  /** `lastDayIn`: the place's last day, in days from today (negative: a late record). */
  | { readonly kind: 'withdraw'; readonly place: number; readonly lastDayIn: number }
  | { readonly kind: 'transfer'; readonly place: number; readonly effectiveIn: number }
  | {
      readonly kind: 'apply';
      readonly child: number;
      readonly hoursAgo: number;
      readonly specialNeeds: boolean;
      readonly hasPlace: boolean;
    }
  | { readonly kind: 'answer'; readonly offer: number; readonly accept: boolean }
  | { readonly kind: 'withdrawApplication'; readonly child: number }
  | { readonly kind: 'wait'; readonly days: number; readonly hours: number }
  /** The process manager handles only this many of the events it has not handled yet. */
  | { readonly kind: 'admissionCatchesUp'; readonly events: number };

/** A step, and whether admission catches up after it (false: the next step races ahead of admission). */
export interface Step {
  readonly outside: Outside;
  readonly settle: boolean;
}

/**
 * Faults a spec switches on to see a property fail: each breaks one thing a property guards. None is on by default.
 * - 'direct-enrolment-overbooks': a direct enrolment refused as full is recorded anyway (as with one more seat);
 * - 'withdrawal-frees-seat-at-once': a withdrawal frees its seat at once although its last day lies ahead (pre-issue 12);
 * - 'refused-enrolment-ignored': admission does not follow up a refused enrolment;
 * - 'released-seats-not-offered': admission does not offer seats that SeatsReleased freed;
 * - 'offer-to-queue-tail': the waitlist offers the seat to the last child in the queue;
 * - 'declined-offer-keeps-seat': admission does not release the seat of a declined offer.
 */
export type Fault =
  | 'direct-enrolment-overbooks'
  | 'withdrawal-frees-seat-at-once'
  | 'refused-enrolment-ignored'
  | 'released-seats-not-offered'
  | 'offer-to-queue-tail'
  | 'declined-offer-keeps-seat';

/** Called for every event appended, with the state of its stream before and after it. */
export type Observer = (recorded: Recorded, before: unknown, after: unknown) => void;

/** A command before the model stamps it with its clock. */
type Unstamped<C> = C extends unknown ? Omit<C, 'metadata'> : never;

type Outcome<E> =
  { readonly events: E[]; readonly refusal: null } | { readonly events: []; readonly refusal: DomainError };

const decide = <C, E, S>(decider: Decider<C, E, S>, command: C, state: S): Outcome<E> => {
  try {
    return { events: decider.decide(command, state), refusal: null };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { events: [], refusal: error };
  }
};

/** Refusals that mean the waitlist has nobody to offer a seat to now (the process manager's NOTHING_TO_OFFER). */
const NOTHING_TO_OFFER = [
  NobodyIsWaiting,
  OfferingAdmitsByAudition,
  MainAdmissionHasNotRun,
  WaitlistIsNotOpen,
  SchoolYearHasEnded,
];

/** A child's fixed facts: children 4–5 hold one place elsewhere, 6–7 hold two (rule 2's limit) before the run. */
export const birthOf = (child: number) => ({ birthYear: 2011 + (child % 8), birthMonth: 1 + ((child * 5) % 12) });
const placesElsewhere = (child: number): number => (child >= 6 ? 2 : child >= 4 ? 1 : 0);
const childId = (child: number) => `child-${child}`;

export class AdmissionModel {
  now = START;
  offering: Offering;
  target: Offering;
  waitlist: Waitlist;
  readonly students = new Map<string, Student>();
  readonly log: Recorded[] = [];
  readonly unprocessed: Recorded[] = [];

  private readonly offeringDecider: Decider<OfferingCommand, OfferingEvent, Offering>;
  private readonly waitlistDecider: Decider<WaitlistCommand, WaitlistEvent, Waitlist>;
  private readonly studentDecider = createStudentDecider();
  /** Children whose application admission has seen (its ApplicantWaitlists). */
  private readonly applicants = new Set<string>();
  private sequence = 0;

  constructor(
    capacity: number,
    private readonly faults: ReadonlySet<Fault> = new Set(),
    private readonly observe: Observer = () => undefined,
  ) {
    this.offeringDecider = this.faulty(createOfferingDecider());
    this.waitlistDecider = this.faultyWaitlist(createWaitlistDecider());
    this.offering = this.offeringDecider.initialState;
    this.target = this.offeringDecider.initialState;
    this.waitlist = this.waitlistDecider.initialState;
    for (const child of [0, 1, 2, 3, 4, 5, 6, 7]) {
      for (let n = 0; n < placesElsewhere(child); n++) {
        const placeId = `elsewhere-${child}-${n}`;
        const take: StudentCommand = {
          type: 'TakePlace',
          data: {
            studentId: childId(child),
            birthYear: birthOf(child).birthYear,
            placeId,
            offeringId: `elsewhere-${n}`,
          },
          metadata: { now: this.now },
        };
        this.appendStudent(childId(child), this.must(this.studentDecider, take, this.student(childId(child))));
      }
    }
    const details = {
      subjectGroup: 'music' as const,
      programme: 'core' as const,
      location: 'Ranheim',
      district: 'Østbyen' as const,
      form: 'group' as const,
      feePerSemesterOre: 210_500,
      schoolYear: SCHOOL_YEAR,
    };
    this.execOffering({
      type: 'OpenOffering',
      data: { ...details, offeringId: OFFERING, subject: 'Guitar', capacity },
    });
    this.execTarget({ type: 'OpenOffering', data: { ...details, offeringId: TARGET, subject: 'Piano', capacity: 50 } });
    this.settle();
  }

  /** Runs one outside step, then lets admission catch up unless the step says it races ahead. */
  run(step: Step): void {
    const { outside } = step;
    switch (outside.kind) {
      case 'enrol':
        this.enrolStudent(childId(outside.child), birthOf(outside.child).birthYear, null);
        break;
      case 'capacity':
        this.execOffering({ type: 'ChangeCapacity', data: { capacity: outside.capacity } });
        break;
      case 'close':
        this.execOffering({ type: 'CloseOffering', data: {} });
        break;
      case 'withdraw':
        this.withdraw(outside.place, outside.lastDayIn);
        break;
      case 'transfer':
        this.transfer(outside.place, outside.effectiveIn);
        break;
      case 'apply': {
        const { birthYear, birthMonth } = birthOf(outside.child);
        this.execWaitlist({
          type: 'SubmitApplication',
          data: {
            applicationId: `application-${this.sequence++}`,
            childId: childId(outside.child),
            appliedAt: addDays(this.now, -outside.hoursAgo / 24),
            birthYear,
            birthMonth,
            specialNeeds: outside.specialNeeds,
            hasPlace: outside.hasPlace,
          },
        });
        break;
      }
      case 'answer': {
        // Mostly an offer still open; now and then a late answer to any offer ever made.
        const offers = this.waitlist.status === 'Open' ? [...this.waitlist.offers.values()] : [];
        const pending = offers.filter((o) => o.status === 'Pending');
        const answerable = outside.offer % 4 === 3 || pending.length === 0 ? offers : pending;
        const offerId = answerable[outside.offer % Math.max(answerable.length, 1)]?.offerId ?? 'no-offer';
        this.execWaitlist({ type: outside.accept ? 'AcceptOffer' : 'DeclineOffer', data: { offerId } });
        break;
      }
      case 'withdrawApplication': {
        const entries = this.waitlist.status === 'Open' ? [...this.waitlist.entries.values()] : [];
        const entry = entries.find((e) => e.childId === childId(outside.child));
        this.execWaitlist({ type: 'WithdrawApplication', data: { applicationId: entry?.applicationId ?? 'none' } });
        break;
      }
      case 'wait':
        // Day by day, as the process manager's ticks expire offers and free ended seats.
        for (let day = 0; day < outside.days; day++) {
          this.now = addDays(this.now, 1);
          this.daily();
          if (step.settle) this.settle();
        }
        this.now = addDays(this.now, outside.hours / 24);
        this.daily();
        break;
      case 'admissionCatchesUp':
        this.settle(outside.events);
        return;
    }
    if (step.settle) this.settle();
  }

  /** Admission handles the events it has not handled yet, in order, including those its own steps append. */
  settle(limit = Number.POSITIVE_INFINITY): void {
    for (let handled = 0; handled < limit && this.unprocessed.length > 0; handled++) {
      if (handled > 10_000) throw new Error('admission does not settle');
      this.react(this.unprocessed.shift() as Recorded);
    }
  }

  get settled(): boolean {
    return this.unprocessed.length === 0;
  }

  /** OfferSeat as the waitlist would decide it now, without applying it: null when it names nobody. */
  wouldOffer(): WaitlistEvent[] | null {
    const outcome = decide(this.waitlistDecider, this.command('OfferSeat', { offerId: 'probe' }), this.waitlist);
    return outcome.refusal ? null : outcome.events;
  }

  /** The queue head the waitlist's own order names among children without an offer. */
  static queueHead(waitlist: Waitlist) {
    return waitlist.status === 'Open' ? orderQueue(offerableEntries(waitlist), waitlistPolicy)[0] : undefined;
  }

  // ---- admission's reactions (AdmissionProcessManager.handle and onStepRefused) ----

  private react(recorded: Recorded): void {
    const { event, stream } = recorded;
    // The transfer target's own events concern its own waitlist, which this model leaves out.
    if (stream === 'target') return;
    switch (event.type) {
      case 'WaitlistOpened':
      case 'SeatReservationReleased':
      case 'ApplicantPlacesChanged':
      case 'MainAdmissionRun':
        return this.offerFreeSeats();
      case 'SeatsReleased':
        if (this.faults.has('released-seats-not-offered')) return;
        return this.offerFreeSeats();
      case 'OfferingOpened':
        this.execWaitlist({
          type: 'OpenWaitlist',
          data: {
            offeringId: event.data.offeringId,
            programme: event.data.programme,
            schoolYear: event.data.schoolYear,
          },
        });
        return;
      case 'ApplicationSubmitted': {
        const { childId: child, hasPlace } = event.data;
        this.applicants.add(child);
        const placed = this.holdsAPlace(child);
        if (placed !== hasPlace) this.rerank(child, placed);
        return this.offerFreeSeats();
      }
      case 'StudentPlaceTaken':
      case 'StudentPlaceGivenUp': {
        const { studentId } = event.data;
        if (this.applicants.has(studentId))
          this.rerank(studentId, this.holdsAPlace(studentId), event.type === 'StudentPlaceGivenUp');
        return;
      }
      case 'OfferAccepted':
        return this.enrolAccepted(event.data);
      case 'OfferDeclined':
        if (this.faults.has('declined-offer-keeps-seat')) return;
        return this.release(event.data.offerId, 'offer declined');
      case 'OfferLapsed':
        return this.release(event.data.offerId, 'offer lapsed');
      case 'ApplicationWithdrawn':
        if (event.data.offerId) this.release(event.data.offerId, 'application withdrawn');
        return;
      case 'AdmissionStepRefused': {
        if (this.faults.has('refused-enrolment-ignored')) return;
        const { offerId, code } = event.data;
        this.execWaitlist({
          type: 'RecordRefusedAdmission',
          data: { offerId, refusal: { code, message: `refused: ${code}` } },
        });
        return this.release(offerId, 'admission refused');
      }
      default:
        return;
    }
  }

  /** Check the waitlist names a child, set a seat aside in the offering, then make the offer; until one refuses. */
  private offerFreeSeats(): void {
    for (let index = 0; index < 1000; index++) {
      const offerId = `offer-${this.sequence++}`;
      const offerSeat = this.command('OfferSeat', { offerId });
      const check = decide(this.waitlistDecider, offerSeat, this.waitlist);
      if (check.refusal) {
        if (NOTHING_TO_OFFER.some((nothing) => check.refusal instanceof nothing)) return;
        throw check.refusal;
      }
      // A full or closed offering (or any other refusal) ends the round: runStep returns nothing.
      if (!this.execOffering({ type: 'ReserveSeat', data: { offerId } })) return;
      const offered = this.execWaitlist(offerSeat);
      if (!offered || offered.length === 0) return this.release(offerId, 'nobody to offer');
    }
  }

  private enrolAccepted(offer: { offerId: string; applicationId: string; childId: string }): void {
    const submitted = this.log.find(
      (r): r is Recorded & { event: ApplicationSubmitted } =>
        r.event.type === 'ApplicationSubmitted' && r.event.data.applicationId === offer.applicationId,
    );
    if (!submitted) throw new Error(`accepted offer ${offer.offerId} without its application`);
    const refusal = this.enrolStudent(offer.childId, Number(submitted.event.data.born.slice(0, 4)), offer.offerId);
    if (refusal) {
      const refused: EnrolmentRefused = {
        type: 'AdmissionStepRefused',
        data: { step: 'EnrolStudent', offerId: offer.offerId, code: refusal.name },
      };
      this.append('admission', refused, null, null);
    }
  }

  private release(offerId: string, reason: Extract<OfferingCommand, { type: 'ReleaseReservation' }>['data']['reason']) {
    this.execOffering({ type: 'ReleaseReservation', data: { offerId, reason } });
  }

  private rerank(child: string, hasPlace: boolean, gaveUpAPlace = false): void {
    this.execWaitlist({ type: 'RecordApplicantPlaces', data: { childId: child, hasPlace, gaveUpAPlace } });
  }

  private holdsAPlace(studentId: string): boolean {
    const student = this.student(studentId);
    return student.status === 'Known' && Object.keys(student.places).length > 0;
  }

  /** daily + tick: ExpireOffer for every offer due, then ReleaseEndedSeats. */
  private daily(): void {
    if (this.waitlist.status === 'Open') {
      const due = [...this.waitlist.offers.values()]
        .filter((o) => o.status === 'Pending' && Date.parse(this.now) >= Date.parse(o.deadline))
        .sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
      for (const offer of due) this.execWaitlist({ type: 'ExpireOffer', data: { offerId: offer.offerId } });
    }
    this.execOffering({ type: 'ReleaseEndedSeats', data: {} });
  }

  // ---- enrolment's handlers (EnrolStudentHandler, WithdrawPlaceHandler, TransferPlaceHandler) ----

  /** The student takes the place, then the offering enrols it; a refusal by the offering gives the place up again. */
  private enrolStudent(studentId: string, birthYear: number, viaOfferId: string | null): DomainError | null {
    const placeId = `place-${this.sequence++}`;
    const take: StudentCommand = {
      type: 'TakePlace',
      data: { studentId, birthYear, placeId, offeringId: OFFERING, schoolYear: SCHOOL_YEAR },
      metadata: { now: this.now },
    };
    const taken = decide(this.studentDecider, take, this.student(studentId));
    if (taken.refusal) return taken.refusal;
    this.appendStudent(studentId, taken.events);
    const enrol = this.command('Enrol', {
      ...{ studentId, birthYear, gender: 'unknown' as const, district: 'Midtbyen' as const, school: 'unknown' },
      ...{ placeId, viaOfferId, transferredFrom: null },
    });
    let enrolled = decide(this.offeringDecider, enrol, this.offering);
    if (enrolled.refusal && this.faults.has('direct-enrolment-overbooks') && viaOfferId === null) {
      const roomier = this.offering.status === 'NotOpened' ? this.offering : { ...this.offering, capacity: 99 };
      enrolled = decide(this.offeringDecider, enrol, roomier);
    }
    if (enrolled.refusal) {
      const giveUp: StudentCommand = { type: 'GiveUpPlace', data: { placeId }, metadata: { now: this.now } };
      this.appendStudent(studentId, this.must(this.studentDecider, giveUp, this.student(studentId)));
      return enrolled.refusal;
    }
    this.appendAll('offering', enrolled.events);
    return null;
  }

  private placeAt(index: number) {
    const places = this.offering.status === 'NotOpened' ? [] : Object.values(this.offering.places);
    return places[index % Math.max(places.length, 1)];
  }

  private withdraw(index: number, lastDayIn: number): void {
    const place = this.placeAt(index);
    if (!place) return;
    const effectiveOn = osloDate(addDays(this.now, lastDayIn));
    const withdrawn = decide(
      this.offeringDecider,
      this.command('Withdraw', { placeId: place.placeId, effectiveOn }),
      this.offering,
    );
    if (withdrawn.refusal) return;
    const giveUp: StudentCommand = {
      type: 'GiveUpPlace',
      data: { placeId: place.placeId },
      metadata: { now: this.now },
    };
    const givenUp = decide(this.studentDecider, giveUp, this.student(place.studentId));
    if (givenUp.refusal) return;
    this.appendStudent(place.studentId, givenUp.events);
    this.appendAll('offering', withdrawn.events);
  }

  private transfer(index: number, effectiveIn: number): void {
    const place = this.placeAt(index);
    if (!place) return;
    const effectiveOn = osloDate(addDays(this.now, effectiveIn));
    const toPlaceId = `place-${this.sequence++}`;
    const out = decide(
      this.offeringDecider,
      this.command('Transfer', { placeId: place.placeId, toOfferingId: TARGET, toPlaceId, effectiveOn }),
      this.offering,
    );
    const { studentId } = place;
    const enrol = decide(
      this.offeringDecider,
      this.command('Enrol', {
        ...{ studentId, birthYear: 2014, gender: 'unknown' as const, district: 'Midtbyen' as const, school: 'unknown' },
        ...{ placeId: toPlaceId, viaOfferId: null, transferredFrom: { offeringId: OFFERING, placeId: place.placeId } },
        startsOn: effectiveOn,
      }),
      this.target,
    );
    const move: StudentCommand = {
      type: 'MovePlace',
      data: { fromPlaceId: place.placeId, placeId: toPlaceId, offeringId: TARGET },
      metadata: { now: this.now },
    };
    const moved = decide(this.studentDecider, move, this.student(studentId));
    if (out.refusal || enrol.refusal || moved.refusal) return;
    this.appendStudent(studentId, moved.events);
    this.appendAll('target', enrol.events);
    this.appendAll('offering', out.events);
  }

  // ---- streams ----

  private command<T extends string, D>(type: T, data: D) {
    return { type, data, metadata: { now: this.now } } as const;
  }

  private student(studentId: string): Student {
    return this.students.get(studentId) ?? this.studentDecider.initialState;
  }

  private must<C, E, S>(decider: Decider<C, E, S>, command: C, state: S): E[] {
    const outcome = decide(decider, command, state);
    if (outcome.refusal) throw outcome.refusal;
    return outcome.events;
  }

  /** Runs a command on the offering; the events appended, or null when it refused. */
  private execOffering(command: Unstamped<OfferingCommand>): OfferingEvent[] | null {
    const outcome = decide(
      this.offeringDecider,
      { ...command, metadata: { now: this.now } } as OfferingCommand,
      this.offering,
    );
    this.appendAll('offering', outcome.events);
    return outcome.refusal ? null : outcome.events;
  }

  private execTarget(command: Unstamped<OfferingCommand>): void {
    const full = { ...command, metadata: { now: this.now } } as OfferingCommand;
    this.appendAll('target', this.must(this.offeringDecider, full, this.target));
  }

  private execWaitlist(command: Unstamped<WaitlistCommand>): WaitlistEvent[] | null {
    const outcome = decide(
      this.waitlistDecider,
      { ...command, metadata: { now: this.now } } as WaitlistCommand,
      this.waitlist,
    );
    this.appendAll('waitlist', outcome.events);
    return outcome.refusal ? null : outcome.events;
  }

  private appendStudent(studentId: string, events: readonly StudentEvent[]): void {
    for (const event of events) {
      const before = this.student(studentId);
      const after = evolveStudent(before, event);
      this.students.set(studentId, after);
      this.append('student', event, before, after);
    }
  }

  private appendAll(stream: 'offering' | 'target' | 'waitlist', events: readonly (OfferingEvent | WaitlistEvent)[]) {
    for (const event of events) {
      if (stream === 'waitlist') {
        const before = this.waitlist;
        this.waitlist = evolveWaitlist(before, event as WaitlistEvent);
        this.append(stream, event, before, this.waitlist);
      } else if (stream === 'offering') {
        const before = this.offering;
        this.offering = evolveOffering(before, event as OfferingEvent);
        this.append(stream, event, before, this.offering);
      } else {
        this.target = evolveOffering(this.target, event as OfferingEvent);
        this.append(stream, event, null, this.target);
      }
    }
  }

  private append(stream: Stream, event: AnyEvent, before: unknown, after: unknown): void {
    const recorded: Recorded = { stream, event, at: this.now };
    this.log.push(recorded);
    this.unprocessed.push(recorded);
    this.observe(recorded, before, after);
  }

  // ---- faults ----

  private faulty(decider: Decider<OfferingCommand, OfferingEvent, Offering>) {
    if (!this.faults.has('withdrawal-frees-seat-at-once')) return decider;
    return {
      ...decider,
      decide: (command: OfferingCommand, state: Offering): OfferingEvent[] =>
        decider.decide(command, state).flatMap((e): OfferingEvent[] =>
          e.type === 'PlaceWithdrawn' && e.data.seatHeldThrough
            ? [
                { ...e, data: { ...e.data, seatHeldThrough: null } },
                {
                  type: 'SeatsReleased',
                  data: {
                    offeringId: e.data.offeringId,
                    count: 1,
                    freeSeats: 1,
                    reason: 'withdrawal',
                    releasedAt: command.metadata.now,
                  },
                },
              ]
            : [e],
        ),
    };
  }

  private faultyWaitlist(decider: Decider<WaitlistCommand, WaitlistEvent, Waitlist>) {
    if (!this.faults.has('offer-to-queue-tail')) return decider;
    return {
      ...decider,
      decide: (command: WaitlistCommand, state: Waitlist): WaitlistEvent[] =>
        decider.decide(command, state).map((e): WaitlistEvent => {
          if (e.type !== 'PlaceOffered' || state.status !== 'Open') return e;
          const tail = orderQueue(offerableEntries(state), waitlistPolicy).at(-1);
          return tail ? { ...e, data: { ...e.data, applicationId: tail.applicationId, childId: tail.childId } } : e;
        }),
    };
  }
}
