import offeringOpened from './schemas/enrolment/offering-opened.v1.json' with { type: 'json' };
import offeringCapacityChanged from './schemas/enrolment/offering-capacity-changed.v1.json' with { type: 'json' };
import offeringClosed from './schemas/enrolment/offering-closed.v1.json' with { type: 'json' };
import placeStarted from './schemas/enrolment/place-started.v1.json' with { type: 'json' };
import placeEnded from './schemas/enrolment/place-ended.v1.json' with { type: 'json' };
import reregistrationRequested from './schemas/enrolment/place-reregistration-requested.v1.json' with { type: 'json' };
import reregistrationReminded from './schemas/enrolment/place-reregistration-reminded.v1.json' with { type: 'json' };
import reregistrationAnswered from './schemas/enrolment/place-reregistration-answered.v1.json' with { type: 'json' };
import waitlistJoined from './schemas/waitlist/waitlist-joined.v1.json' with { type: 'json' };
import waitlistLeft from './schemas/waitlist/waitlist-left.v1.json' with { type: 'json' };
import offerMade from './schemas/waitlist/offer-made.v1.json' with { type: 'json' };
import offerAnswered from './schemas/waitlist/offer-answered.v1.json' with { type: 'json' };
import admissionRefused from './schemas/waitlist/admission-refused.v1.json' with { type: 'json' };
import semesterFeesAssessed from './schemas/funding/semester-fees-assessed.v1.json' with { type: 'json' };
import feeWaiverGranted from './schemas/funding/fee-waiver-granted.v1.json' with { type: 'json' };
import feeWaiverEnded from './schemas/funding/fee-waiver-ended.v1.json' with { type: 'json' };
import studentPlaceCounted from './schemas/statistics/student-place-counted.v1.json' with { type: 'json' };
import kulturdagPupilRegistered from './schemas/statistics/kulturdag-pupil-registered.v1.json' with { type: 'json' };
import type {
  OfferingCapacityChangedV1,
  OfferingClosedV1,
  OfferingOpenedV1,
  PlaceEndedV1,
  PlaceReregistrationAnsweredV1,
  PlaceReregistrationRemindedV1,
  PlaceReregistrationRequestedV1,
  PlaceStartedV1,
} from './enrolment.v1.js';
import type { FeeWaiverEndedV1, FeeWaiverGrantedV1, SemesterFeesAssessedV1 } from './funding.v1.js';
import type { KulturdagPupilRegisteredV1, StudentPlaceCountedV1 } from './statistics.v1.js';
import type {
  AdmissionRefusedV1,
  OfferAnsweredV1,
  OfferMadeV1,
  WaitlistJoinedV1,
  WaitlistLeftV1,
} from './waitlist.v1.js';

/** Every outbound message type (the CloudEvents `type`) and its body. A new incompatible shape is a new v2 type. */
export interface IntegrationBodies {
  'kulturskole.enrolment.offering-opened.v1': OfferingOpenedV1;
  'kulturskole.enrolment.offering-capacity-changed.v1': OfferingCapacityChangedV1;
  'kulturskole.enrolment.offering-closed.v1': OfferingClosedV1;
  'kulturskole.enrolment.place-started.v1': PlaceStartedV1;
  'kulturskole.enrolment.place-ended.v1': PlaceEndedV1;
  'kulturskole.enrolment.place-reregistration-requested.v1': PlaceReregistrationRequestedV1;
  'kulturskole.enrolment.place-reregistration-reminded.v1': PlaceReregistrationRemindedV1;
  'kulturskole.enrolment.place-reregistration-answered.v1': PlaceReregistrationAnsweredV1;
  'kulturskole.waitlist.waitlist-joined.v1': WaitlistJoinedV1;
  'kulturskole.waitlist.waitlist-left.v1': WaitlistLeftV1;
  'kulturskole.waitlist.offer-made.v1': OfferMadeV1;
  'kulturskole.waitlist.offer-answered.v1': OfferAnsweredV1;
  'kulturskole.waitlist.admission-refused.v1': AdmissionRefusedV1;
  'kulturskole.funding.semester-fees-assessed.v1': SemesterFeesAssessedV1;
  'kulturskole.funding.fee-waiver-granted.v1': FeeWaiverGrantedV1;
  'kulturskole.funding.fee-waiver-ended.v1': FeeWaiverEndedV1;
  'kulturskole.statistics.student-place-counted.v1': StudentPlaceCountedV1;
  'kulturskole.statistics.kulturdag-pupil-registered.v1': KulturdagPupilRegisteredV1;
}

export type IntegrationType = keyof IntegrationBodies;

export const TOPICS = {
  enrolment: 'kulturskole.enrolment.v1',
  waitlist: 'kulturskole.waitlist.v1',
  funding: 'kulturskole.funding.v1',
  statistics: 'kulturskole.statistics.v1',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const INBOUND_TOPICS = { addressChanged: 'folkeregister.address-changed.v1' } as const;

export interface MessageContract {
  type: IntegrationType;
  topic: Topic;
  /** The message's name in the AsyncAPI document. */
  name: string;
  schemaVersion: number;
  /** Repository path of the JSON Schema file, the one source the code and docs/asyncapi.yaml both read. */
  schemaFile: string;
  schema: object;
}

const SCHEMA_DIR = 'libs/integration/src/contracts/schemas';

const contract = (type: IntegrationType, schema: object): MessageContract => {
  const [, context = '', name = '', version = ''] = /^kulturskole\.([a-z]+)\.([a-z-]+)\.v(\d+)$/.exec(type) ?? [];
  const topic = Object.values(TOPICS).find((t) => t === `kulturskole.${context}.v${version}`);
  if (!topic) throw new Error(`no topic for ${type}`);
  return {
    type,
    topic,
    name,
    schemaVersion: Number(version),
    schemaFile: `${SCHEMA_DIR}/${context}/${name}.v${version}.json`,
    schema,
  };
};

export const MESSAGE_CONTRACTS: readonly MessageContract[] = [
  contract('kulturskole.enrolment.offering-opened.v1', offeringOpened),
  contract('kulturskole.enrolment.offering-capacity-changed.v1', offeringCapacityChanged),
  contract('kulturskole.enrolment.offering-closed.v1', offeringClosed),
  contract('kulturskole.enrolment.place-started.v1', placeStarted),
  contract('kulturskole.enrolment.place-ended.v1', placeEnded),
  contract('kulturskole.enrolment.place-reregistration-requested.v1', reregistrationRequested),
  contract('kulturskole.enrolment.place-reregistration-reminded.v1', reregistrationReminded),
  contract('kulturskole.enrolment.place-reregistration-answered.v1', reregistrationAnswered),
  contract('kulturskole.waitlist.waitlist-joined.v1', waitlistJoined),
  contract('kulturskole.waitlist.waitlist-left.v1', waitlistLeft),
  contract('kulturskole.waitlist.offer-made.v1', offerMade),
  contract('kulturskole.waitlist.offer-answered.v1', offerAnswered),
  contract('kulturskole.waitlist.admission-refused.v1', admissionRefused),
  contract('kulturskole.funding.semester-fees-assessed.v1', semesterFeesAssessed),
  contract('kulturskole.funding.fee-waiver-granted.v1', feeWaiverGranted),
  contract('kulturskole.funding.fee-waiver-ended.v1', feeWaiverEnded),
  contract('kulturskole.statistics.student-place-counted.v1', studentPlaceCounted),
  contract('kulturskole.statistics.kulturdag-pupil-registered.v1', kulturdagPupilRegistered),
];

export const contractFor = (type: IntegrationType): MessageContract => {
  const found = MESSAGE_CONTRACTS.find((c) => c.type === type);
  if (!found) throw new Error(`no contract for ${type}`);
  return found;
};
