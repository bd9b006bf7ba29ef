import { Injectable } from '@nestjs/common';
import { DomainError } from '#libs/decider';
import { isErasedValue, PeopleRegister } from '#libs/personal-data';
import type { Ore } from '../domain/index.js';

export class HouseholdIncomeIsErased extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly applicationId: string) {
    super(`The household income of application ${applicationId} has been erased; the household must apply again`);
  }
}

export class HouseholdIncomeIsMissing extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly applicationId: string) {
    super(`No household income is on record for application ${applicationId}`);
  }
}

type IncomesByApplication = Record<string, Ore>;

/**
 * Declared household incomes live only in the people register, encrypted under the payer's key (field
 * `householdIncome`, one entry per application so a pending case survives next year's application). Events hold
 * the reference, never the amount; erasing the payer shreds every income with the key.
 */
@Injectable()
export class HouseholdIncomes {
  constructor(private readonly people: PeopleRegister) {}

  static referenceFor(payerId: string, applicationId: string): string {
    return `personal-data:${payerId}/householdIncome#${applicationId}`;
  }

  async record(tenant: string, payerId: string, applicationId: string, income: Ore): Promise<string> {
    const incomes = { ...(await this.all(tenant, payerId)), [applicationId]: income };
    await this.people.record(tenant, payerId, { householdIncome: JSON.stringify(incomes) });
    return HouseholdIncomes.referenceFor(payerId, applicationId);
  }

  /** The declared income, decrypted for the one decision that needs it. */
  async read(tenant: string, payerId: string, applicationId: string): Promise<Ore> {
    const { householdIncome } = await this.people.read(tenant, payerId, ['householdIncome']);
    if (householdIncome !== undefined && isErasedValue(householdIncome))
      throw new HouseholdIncomeIsErased(applicationId);
    const income =
      householdIncome === undefined ? undefined : (JSON.parse(householdIncome) as IncomesByApplication)[applicationId];
    if (income === undefined) throw new HouseholdIncomeIsMissing(applicationId);
    return income;
  }

  private async all(tenant: string, payerId: string): Promise<IncomesByApplication> {
    const { householdIncome } = await this.people.read(tenant, payerId, ['householdIncome']);
    if (householdIncome === undefined || isErasedValue(householdIncome)) return {};
    return JSON.parse(householdIncome) as IncomesByApplication;
  }
}
