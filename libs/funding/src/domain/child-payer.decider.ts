import { assertNever, type Decider } from '#libs/decider';
import type { ChildPayerEvent } from './child-payer.events.js';
import type { ChildPayerCommand } from './child-payer.commands.js';
import type { ChildPayer } from './child-payer.state.js';

const decide = (command: ChildPayerCommand, state: ChildPayer): ChildPayerEvent[] => {
  const registeredAt = command.metadata.now;
  switch (command.type) {
    case 'RegisterPayer': {
      const { childId, payerId, registeredBy } = command.data;
      // Registering the payer already registered is a repeat, not a change.
      if (state.status === 'Paid' && state.payerId === payerId) return [];
      const previousPayerId = state.status === 'Paid' ? state.payerId : null;
      return [
        {
          type: 'ChildPayerRegistered',
          data: { childId, payerId, previousPayerId, registeredBy, registeredAt, source: 'caseworker' },
        },
      ];
    }
    case 'RegisterPayerFromApplication': {
      // A payer already registered (by hand, or with an earlier place) stands: an application only fills the gap.
      if (state.status === 'Paid') return [];
      const { childId, payerId, source, applicationId, placeId, registeredBy } = command.data;
      return [
        {
          type: 'ChildPayerRegistered',
          data: { childId, payerId, previousPayerId: null, registeredBy, registeredAt, source, applicationId, placeId },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (_state: ChildPayer, event: ChildPayerEvent): ChildPayer => {
  switch (event.type) {
    case 'ChildPayerRegistered':
      return { status: 'Paid', childId: event.data.childId, payerId: event.data.payerId };
    default:
      return assertNever(event.type);
  }
};

export const childPayerDecider: Decider<ChildPayerCommand, ChildPayerEvent, ChildPayer> = {
  decide,
  evolve,
  initialState: { status: 'NoPayer' },
};
