import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import { childPayerDecider } from './child-payer.decider.js';
import type { RegisterPayer } from './child-payer.commands.js';
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
  data: { childId: 'child-1', payerId, previousPayerId, registeredBy: 'cw-1', registeredAt: at },
});

describe('child payer', () => {
  describe('with no payer', () => {
    it('registers the first payer', () =>
      given([])
        .when(register('payer-a'))
        .then([registered('payer-a', null)]));
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
  });
});
