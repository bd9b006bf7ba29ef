import { refusal } from '#libs/decider';

export class RegisterChangeNeedsReason extends refusal('invalid', () => ({
  message: 'A change of a register must give its reason (the decision it carries out)',
  field: 'reason',
})) {}

export class RegisterEntryIsInvalid extends refusal('invalid', (field: string, message: string) => ({
  message,
  field,
})) {}

export class RegisterEntryExists extends refusal(
  'conflict',
  (register: string, key: string) => `The ${register} register already has "${key}"`,
) {}

export class RegisterEntryNameTaken extends refusal('conflict', (register: string, name: string, key: string) => ({
  message: `The ${register} register already has an entry named "${name}" ("${key}")`,
  field: 'name',
})) {}

export class RegisterEntryNotFound extends refusal(
  'not_found',
  (register: string, key: string) => `The ${register} register has no "${key}"`,
) {}

export class DistrictStillInUse extends refusal(
  'conflict',
  (district: string, users: readonly string[]) =>
    `District "${district}" still has ${users.join(', ')}: move or retire them first`,
) {}

export class RegisterNotKept extends refusal(
  'not_found',
  (register: string) => `No register "${register}" (districts, centres, schools or subjects)`,
) {}

/** A request names a district, centre, school or subject its municipality does not have. */
export class NotInRegister extends refusal('invalid', (register: string, value: string, field: string) => ({
  message: `"${value.slice(0, 80)}" is not in this municipality's ${register} register`,
  field,
})) {}

/** A request names entries of the register that do not go together (a centre of another district, a subject's group). */
export class NotAsRegistered extends refusal('invalid', (field: string, message: string) => ({ message, field })) {}
