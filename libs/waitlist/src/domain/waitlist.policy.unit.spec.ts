import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { osloDate, schoolYearOf } from '#libs/calendar';
import { reconfirmationDeadline, trondheimWaitlistPolicy, waitlistPolicies } from './waitlist.policy.js';

describe('waitlist policy', () => {
  it('defaults to Trondheim: no place first, 7 days to answer, silence is acceptance, reconfirm by 1 May', () => {
    const policy = waitlistPolicies()('2025-2026');
    assert.deepEqual(policy, trondheimWaitlistPolicy);
    assert.equal(policy.answerDays, 7);
    assert.equal(policy.silenceMeansAcceptance, true);
    assert.equal(policy.noPlaceFirst, true);
    assert.equal(policy.specialNeedsPriority, false);
  });

  it('overrides a school year without touching the others', () => {
    const policies = waitlistPolicies({ '2026-2027': { answerDays: 14 } });
    assert.equal(policies('2026-2027').answerDays, 14);
    assert.equal(policies('2026-2027').silenceMeansAcceptance, true);
    assert.equal(policies('2025-2026').answerDays, 7);
  });

  it('puts the reconfirmation deadline in the spring before the school year starts', () =>
    assert.equal(reconfirmationDeadline('2026-2027', trondheimWaitlistPolicy), '2026-05-01'));

  it('starts a school year in August, Oslo time', () => {
    assert.equal(schoolYearOf('2025-07-31T12:00:00Z'), '2024-2025');
    assert.equal(schoolYearOf('2025-07-31T22:30:00Z'), '2025-2026');
    assert.equal(schoolYearOf('2026-01-15T12:00:00Z'), '2025-2026');
  });

  it('reads calendar days in Oslo time, summer and winter', () => {
    assert.equal(osloDate('2025-06-30T22:30:00Z'), '2025-07-01');
    assert.equal(osloDate('2025-12-31T22:30:00Z'), '2025-12-31');
    assert.equal(osloDate('2025-12-31T23:30:00Z'), '2026-01-01');
  });
});
