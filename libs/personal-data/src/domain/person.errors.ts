import { refusal } from '#libs/decider';

export class PersonNotRegistered extends refusal('not_found', (field: string, personId: string) => ({
  message: `No person ${personId} is registered here`,
  field,
})) {}

export class PersonIsErased extends refusal(
  'conflict',
  (personId: string) => `Person ${personId} is erased; nothing can be recorded for it`,
) {}

export class PersonWasMerged extends refusal(
  'conflict',
  (personId: string, into: string) => `Person ${personId} was merged into ${into}; use ${into}`,
) {}

export class PersonCannotMergeIntoItself extends refusal('invalid', () => ({
  message: 'from and into must be two different people',
  field: 'into',
})) {}

export class FodselsnummerIsNotReplacedByADNumber extends refusal('invalid', () => ({
  message: 'A fødselsnummer is never replaced by a D-number or an H-number',
  field: 'nationalId',
})) {}

export class NationalIdBelongsToAnotherPerson extends refusal(
  'conflict',
  (personId: string) =>
    `That national identity number is registered to another person; merge that person into ${personId} instead`,
) {}

export class RetiredPersonHoldsPlaces extends refusal(
  'conflict',
  (from: string, places: number) =>
    `Person ${from} holds ${places} place(s): merge the other way (into the person holding the places), ` +
    'or withdraw them first, so the surviving student counts every place',
) {}
