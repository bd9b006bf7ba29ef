import { assertValidFodselsnummer, type FodselsnummerRules, type PersonalDataIntake } from '#libs/personal-data';
import type { ApplicationPayer } from '../domain/index.js';
import type { SubmitApplicationRequest } from './submit-application.request.js';

/** A bad number is a 400 before anything is stored, the child's data included. */
export const checkPayerNumbers = (body: SubmitApplicationRequest, rules: FodselsnummerRules): void => {
  if (body.guardian.nationalId !== undefined)
    assertValidFodselsnummer(body.guardian.nationalId, 'guardian.nationalId', rules);
  if (body.payer) assertValidFodselsnummer(body.payer.nationalId, 'payer.nationalId', rules);
};

/**
 * The guardian who applies pays unless the application names another payer. Only the payer becomes a person in the
 * people register (with a named payer, the guardian's number is not kept); the event carries the pseudonymous id.
 */
export const receiveApplicationPayer = async (
  intake: PersonalDataIntake,
  tenant: string,
  body: SubmitApplicationRequest,
): Promise<ApplicationPayer | undefined> => {
  const named = body.payer?.nationalId;
  const nationalId = named ?? body.guardian.nationalId;
  if (nationalId === undefined) return undefined;
  const field = named === undefined ? 'guardian.nationalId' : 'payer.nationalId';
  const { subjectId } = await intake.receive(tenant, { nationalId, field });
  return { payerId: subjectId, source: named === undefined ? 'applicant' : 'named' };
};

export const withPayer = <C extends { data: object }>(command: C, payer: ApplicationPayer | undefined): C =>
  payer ? { ...command, data: { ...command.data, payer } } : command;
