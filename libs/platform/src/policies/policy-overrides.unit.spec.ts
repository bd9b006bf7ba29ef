import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { ConfigError } from '../config/app-config.js';
import { checkedOverrides, loadPolicyOverrides } from './policy-overrides.js';

const file = async (content: string) => {
  const name = path.join(await mkdtemp(path.join(os.tmpdir(), 'policies-')), 'policies.json');
  await writeFile(name, content);
  return name;
};
const defaults = { answerDays: 7, silenceMeansAcceptance: true, reconfirmBy: { month: 5, day: 1 } };

describe('policies per school year from POLICIES_FILE', () => {
  it('is empty without a file: Trondheim’s defaults everywhere', async () => {
    assert.deepEqual(await loadPolicyOverrides(undefined), {});
  });

  it('reads each context’s rules per school year', async () => {
    const overrides = await loadPolicyOverrides(
      await file(JSON.stringify({ waitlist: { '2026-2027': { answerDays: 14 } } })),
    );
    assert.deepEqual(checkedOverrides('waitlist', defaults, overrides.waitlist), { '2026-2027': { answerDays: 14 } });
  });

  for (const [name, content, message] of [
    ['not JSON', '{ waitlist: ', /must be a readable JSON file/],
    ['an unknown context', '{"billing": {}}', /"billing" is not one of enrolment, waitlist, funding/],
    [
      'a malformed school year',
      '{"waitlist": {"2026/27": {}}}',
      /"waitlist.2026\/27" is not a school year like 2026-2027/,
    ],
  ] as const) {
    it(`stops the start on ${name}, naming the file`, async () => {
      const named = await file(content);
      await assert.rejects(
        loadPolicyOverrides(named),
        (error: unknown) =>
          error instanceof ConfigError && error.message.includes(named) && message.test(error.message),
      );
    });
  }

  it('stops on a rule the context does not have, or a value of the wrong kind', () => {
    assert.throws(
      () => checkedOverrides('waitlist', defaults, { '2026-2027': { answerDay: 14 } }),
      /waitlist.2026-2027.answerDay is not a waitlist rule/,
    );
    assert.throws(
      () => checkedOverrides('waitlist', defaults, { '2026-2027': { answerDays: '14' } }),
      /answerDays must be a number like 7/,
    );
  });
});
