import { randomUUID } from 'node:crypto';
import { fodselsnummerFor, type AppUnderTest } from '#libs/testing';

export const SCHOOL_YEAR = '2026-2027';

/**
 * A little data, so that reads find something and commands meet things that exist: an offering with a place, a
 * waitlist application (its child, and an offer when one is made), a fee-waiver application and a Kulturdag school.
 * Returns path parameter values by name (`offeringId`, `placeId`, …).
 */
export const seedSchool = async (sut: AppUnderTest, token: string): Promise<Record<string, string>> => {
  const post = async (url: string, body: unknown) => {
    const response = await sut.request('POST', url, { token, body });
    if (response.status >= 300) throw new Error(`seed ${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as Record<string, string>;
  };
  const { offeringId = '' } = await post('/enrolment/offerings', {
    ...{ subject: 'Piano', subjectGroup: 'music', programme: 'core', location: 'Ranheim', district: 'Østbyen' },
    ...{ form: 'individual', capacity: 30, feePerSemesterNok: 2105, schoolYear: SCHOOL_YEAR },
  });
  const { personId = '' } = await post('/people', {
    ...{ nationalId: fodselsnummerFor('2014-06-01', 2), name: 'Siri Nordmann', gender: 'female' },
  });
  const { placeId = '' } = await post(`/enrolment/offerings/${offeringId}/places`, {
    ...{ personId, birthYear: 2014, gender: 'female', district: 'Østbyen', school: 'Ranheim skole' },
  });
  const { applicationId = '', childId = '' } = await post(`/waitlist/offerings/${offeringId}/applications`, {
    child: { name: 'Ola Nordmann', nationalId: fodselsnummerFor('2015-03-01', 1), gender: 'male', district: 'Østbyen' },
    guardian: { name: 'Kari Nordmann', email: 'kari@example.no' },
    specialNeeds: false,
  });
  const { applicationId: waiverApplicationId = '' } = await post('/funding/fee-waivers/applications', {
    ...{ payerNationalId: fodselsnummerFor('1985-05-05', 2), householdSize: 3, householdIncomeNok: 300_000 },
    schoolYear: SCHOOL_YEAR,
  });
  await post('/enrolment/kulturdag/schools/berg-skole/join', { schoolYear: SCHOOL_YEAR, district: 'Østbyen' });
  await sut.runtime.store.awaitSettled();
  const offer = await sut.db.pool.query<{ id: string }>(
    `SELECT data->>'offerId' AS id FROM es_events WHERE data ? 'offerId' ORDER BY position LIMIT 1`,
  );
  return {
    ...{ offeringId, placeId, applicationId, waiverApplicationId, childId, subjectId: childId, personId },
    ...{ offerId: offer.rows[0]?.id ?? randomUUID(), schoolId: 'berg-skole', schoolYear: SCHOOL_YEAR },
    ...{ context: 'waitlist', name: 'statistics', register: 'districts', key: 'Østbyen', year: '2026' },
    ...{ dimension: 'district', id: offeringId, payerRef: childId },
  };
};
