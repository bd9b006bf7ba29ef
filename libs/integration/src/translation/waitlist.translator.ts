import type {
  AdmissionRefused,
  ApplicationSubmitted,
  ApplicationWithdrawn,
  OfferAccepted,
  OfferDeclined,
  OfferLapsed,
  PlaceOffered,
  UnconfirmedApplicationRemoved,
} from '#libs/waitlist';
import type { IntegrationBodies } from '../contracts/catalogue.js';
import { birthYearOf, emit, type TranslatorTable } from './translation.js';

type ApplicationRefs = Pick<ApplicationSubmitted['data'], 'applicationId' | 'offeringId' | 'childId'>;
type OfferRefs = ApplicationRefs & Pick<PlaceOffered['data'], 'offerId'>;
type WaitlistLeftBody = IntegrationBodies['kulturskole.waitlist.waitlist-left.v1'];
type OfferAnsweredBody = IntegrationBodies['kulturskole.waitlist.offer-answered.v1'];

/** The offer, its application, offering and child, as every offer message names them. */
const offerRefs = (d: OfferRefs) => ({
  offerId: d.offerId,
  applicationId: d.applicationId,
  offeringId: d.offeringId,
  childRef: d.childId,
});

const waitlistLeft = (d: ApplicationRefs, reason: WaitlistLeftBody['reason'], leftAt: string) =>
  emit('kulturskole.waitlist.waitlist-left.v1', {
    applicationId: d.applicationId,
    offeringId: d.offeringId,
    childRef: d.childId,
    reason,
    leftAt,
  });

const offerAnswered = (
  d: OfferRefs,
  answer: OfferAnsweredBody['answer'],
  bySilence: boolean,
  answeredAt: OfferAnsweredBody['answeredAt'],
) => emit('kulturskole.waitlist.offer-answered.v1', { ...offerRefs(d), answer, bySilence, answeredAt });

// Special needs and the ordering reasons stay internal: they can reveal health or family circumstances, and so does
// a refusal's message (internal text): only its code is published. MainAdmissionRun stays internal: no outside system
// acts on it.
export const waitlistTranslators = {
  ApplicationSubmitted: (d: ApplicationSubmitted['data']) => [
    emit('kulturskole.waitlist.waitlist-joined.v1', {
      applicationId: d.applicationId,
      offeringId: d.offeringId,
      childRef: d.childId,
      birthYear: birthYearOf(d.born),
      hasPlace: d.hasPlace,
      joinedAt: d.appliedAt,
    }),
  ],
  ApplicationWithdrawn: (d: ApplicationWithdrawn['data']) => [waitlistLeft(d, 'withdrawn', d.withdrawnAt)],
  UnconfirmedApplicationRemoved: (d: UnconfirmedApplicationRemoved['data']) => [
    waitlistLeft(d, 'not-reconfirmed', d.removedAt),
  ],
  PlaceOffered: (d: PlaceOffered['data']) => [
    emit('kulturskole.waitlist.offer-made.v1', {
      ...offerRefs(d),
      offeredAt: d.offeredAt,
      deadline: d.deadline,
      basis: d.basis,
      silenceMeansAcceptance: d.silenceMeansAcceptance,
    }),
  ],
  OfferAccepted: (d: OfferAccepted['data']) => [offerAnswered(d, 'accepted', d.answer === 'silence', d.acceptedAt)],
  OfferDeclined: (d: OfferDeclined['data']) => [offerAnswered(d, 'declined', false, d.declinedAt)],
  OfferLapsed: (d: OfferLapsed['data']) => [offerAnswered(d, 'lapsed', false, d.lapsedAt)],
  AdmissionRefused: (d: AdmissionRefused['data']) => [
    emit('kulturskole.waitlist.admission-refused.v1', {
      ...offerRefs(d),
      reason: d.refusal.code,
      entry: d.entry,
      refusedAt: d.refusedAt,
    }),
  ],
} satisfies TranslatorTable;
