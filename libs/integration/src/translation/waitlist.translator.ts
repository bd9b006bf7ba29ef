import type {
  ApplicationSubmitted,
  ApplicationWithdrawn,
  OfferAccepted,
  OfferDeclined,
  OfferLapsed,
  PlaceOffered,
  UnconfirmedApplicationRemoved,
} from '#libs/waitlist';
import { birthYearOf, emit, type TranslatorTable } from './translation.js';

// Special needs and the ordering reasons stay internal: they can reveal health or family circumstances.
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
  ApplicationWithdrawn: (d: ApplicationWithdrawn['data']) => [
    emit('kulturskole.waitlist.waitlist-left.v1', {
      applicationId: d.applicationId,
      offeringId: d.offeringId,
      childRef: d.childId,
      reason: 'withdrawn',
      leftAt: d.withdrawnAt,
    }),
  ],
  UnconfirmedApplicationRemoved: (d: UnconfirmedApplicationRemoved['data']) => [
    emit('kulturskole.waitlist.waitlist-left.v1', {
      applicationId: d.applicationId,
      offeringId: d.offeringId,
      childRef: d.childId,
      reason: 'not-reconfirmed',
      leftAt: d.removedAt,
    }),
  ],
  PlaceOffered: (d: PlaceOffered['data']) => [
    emit('kulturskole.waitlist.offer-made.v1', {
      offerId: d.offerId,
      applicationId: d.applicationId,
      offeringId: d.offeringId,
      childRef: d.childId,
      offeredAt: d.offeredAt,
      deadline: d.deadline,
      basis: d.basis,
      silenceMeansAcceptance: d.silenceMeansAcceptance,
    }),
  ],
  OfferAccepted: (d: OfferAccepted['data']) => [
    emit('kulturskole.waitlist.offer-answered.v1', {
      offerId: d.offerId,
      applicationId: d.applicationId,
      offeringId: d.offeringId,
      childRef: d.childId,
      answer: 'accepted',
      bySilence: d.answer === 'silence',
      answeredAt: d.acceptedAt,
    }),
  ],
  OfferDeclined: (d: OfferDeclined['data']) => [
    emit('kulturskole.waitlist.offer-answered.v1', {
      offerId: d.offerId,
      applicationId: d.applicationId,
      offeringId: d.offeringId,
      childRef: d.childId,
      answer: 'declined',
      bySilence: false,
      answeredAt: d.declinedAt,
    }),
  ],
  OfferLapsed: (d: OfferLapsed['data']) => [
    emit('kulturskole.waitlist.offer-answered.v1', {
      offerId: d.offerId,
      applicationId: d.applicationId,
      offeringId: d.offeringId,
      childRef: d.childId,
      answer: 'lapsed',
      bySilence: false,
      answeredAt: d.lapsedAt,
    }),
  ],
} satisfies TranslatorTable;
