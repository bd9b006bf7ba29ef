import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import { childPayerDecider } from './child-payer.decider.js';
import type { RegisterPayer, RegisterPayerFromApplication } from './child-payer.commands.js';
import type { ChildPayerRegistered } from './child-payer.events.js';

const given = DeciderSpecification.for(childPayerDecider);
const at = new Date('2025-08-01T08:00:00Z').toISOString();
const register = (payerId: string): RegisterPayer => ({
  type: 'RegisterPayer',
  data: { childId: 'child-1', payerId, registeredBy: 'cw-1' },
  metadata: { now: at },
});
const registered = (payerId: string, previousPayerId: string | null): ChildPayerRegistered => ({
  type: 'ChildPayerRegistered',
  data: { childId: 'child-1', payerId, previousPayerId, registeredBy: 'cw-1', registeredAt: at, source: 'caseworker' },
});
const fromApplication = (
  payerId: string,
  source: RegisterPayerFromApplication['data']['source'],
): RegisterPayerFromApplication => ({
  type: 'RegisterPayerFromApplication',
  data: {
    childId: 'child-1',
    payerId,
    source,
    applicationId: 'application-1',
    placeId: 'place-1',
    registeredBy: 'funding-process',
  },
  metadata: { now: at },
});
const registeredFromApplication = (
  payerId: string,
  source: RegisterPayerFromApplication['data']['source'],
): ChildPayerRegistered => ({
  type: 'ChildPayerRegistered',
  data: {
    childId: 'child-1',
    payerId,
    previousPayerId: null,
    registeredBy: 'funding-process',
    registeredAt: at,
    source,
    applicationId: 'application-1',
    placeId: 'place-1',
  },
});

describe('child payer', () => {
  describe('with no payer', () => {
    it('registers the first payer', () =>
      given([])
        .when(register('payer-a'))
        .then([registered('payer-a', null)]));

    it('makes the guardian who applied the payer when a place comes from the application', () =>
      given([])
        .when(fromApplication('guardian-g', 'applicant'))
        .then([registeredFromApplication('guardian-g', 'applicant')]));

    it('makes the payer the application named the payer instead of the guardian', () =>
      given([])
        .when(fromApplication('payer-n', 'named'))
        .then([registeredFromApplication('payer-n', 'named')]));
  });

  describe('with a payer', () => {
    it('names the previous payer when another takes over', () =>
      given([registered('payer-a', null)])
        .when(register('payer-b'))
        .then([registered('payer-b', 'payer-a')]));

    it('writes nothing when the same payer is registered again', () =>
      given([registered('payer-a', null)])
        .when(register('payer-a'))
        .then([]));

    it('keeps the registered payer when a place comes from an application by another guardian', () =>
      given([registered('payer-a', null)])
        .when(fromApplication('guardian-g', 'applicant'))
        .then([]));

    it('keeps the payer of an earlier application when a second place comes from a named payer', () =>
      given([registeredFromApplication('guardian-g', 'applicant')])
        .when(fromApplication('payer-n', 'named'))
        .then([]));

    it('lets a caseworker change a payer that came from an application', () =>
      given([registeredFromApplication('guardian-g', 'applicant')])
        .when(register('payer-a'))
        .then([registered('payer-a', 'guardian-g')]));
  });
});
