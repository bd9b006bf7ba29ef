import type { EventRetention, Purpose, RetentionPolicy } from './retention-policy.js';

/** What the evaluation needs of an event: its type, data and domain time. */
export interface RetentionFact {
  type: string;
  data: unknown;
  occurredAt: string;
}

export interface SubjectStanding {
  subjectId: string;
  lastActivity: string;
  /** Purposes still open, e.g. `place 8c1…`. */
  openPurposes: string[];
  closedPurposes: number;
  /** When the personal data falls due for erasure; null while a purpose is open. */
  dueAt: string | null;
}

export interface RetentionEvaluation {
  at: string;
  yearsAfterPurposeEnds: number;
  /** Subjects whose personal data is due for erasure at `at`, oldest activity first. */
  due: SubjectStanding[];
  /** Subjects kept, with why (an open purpose, or not yet due). */
  kept: SubjectStanding[];
  /** Subjects with personal data that no event names (e.g. a refused application): for a person to look at. */
  withoutEvents: string[];
  /** Event types the store holds that the policy does not name: each is a gap in the policy to close. */
  unknownEventTypes: string[];
}

const plusYears = (instant: string, years: number): Date => {
  const date = new Date(instant);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date;
};

/**
 * Replays the facts through the policy: each subject's last activity, and which of its purposes (applications,
 * places, fee-waiver cases) were opened and not yet closed. A subject with no open purpose whose last activity lies
 * `yearsAfterPurposeEnds` back is due. Only the given subjects (those with personal data not yet erased) are judged.
 */
export const evaluateRetention = (
  facts: Iterable<RetentionFact>,
  policy: RetentionPolicy,
  options: { at: Date; subjects: ReadonlySet<string> },
): RetentionEvaluation => {
  const rules = new Map<string, EventRetention>(policy.events.map((rule) => [rule.eventType, rule]));
  const lastActivity = new Map<string, string>();
  // Purpose key → the subjects it belongs to, and whether it is still open.
  const purposes = new Map<string, { subjects: Set<string>; open: boolean; label: string }>();
  const unknown = new Set<string>();
  // Child → its payer now: a later registration replaces the earlier one.
  const holders = new Map<string, string>();

  for (const fact of facts) {
    const rule = rules.get(fact.type);
    if (!rule) {
      unknown.add(fact.type);
      continue;
    }
    const data = (fact.data ?? {}) as Record<string, unknown>;
    const subjects = rule.subjects.map((field) => data[field]).filter((v): v is string => typeof v === 'string');
    for (const subject of subjects) noteActivity(lastActivity, subject, fact.occurredAt);
    const holder = rule.heldFor ? data[rule.heldFor.holder] : undefined;
    const heldFor = rule.heldFor ? data[rule.heldFor.for] : undefined;
    if (typeof holder === 'string' && typeof heldFor === 'string') holders.set(heldFor, holder);
    if (!rule.purpose) continue;
    const key = data[rule.purpose.key];
    if (typeof key !== 'string') continue;
    const id = purposeId(rule.purpose.purpose, key);
    const purpose = purposes.get(id) ?? {
      subjects: new Set<string>(),
      open: false,
      label: `${rule.purpose.purpose} ${key}`,
    };
    for (const subject of subjects) purpose.subjects.add(subject);
    purpose.open = rule.purpose.effect === 'opens';
    purposes.set(id, purpose);
  }

  const open = new Map<string, string[]>();
  const closed = new Map<string, number>();
  for (const purpose of purposes.values()) {
    for (const subject of purpose.subjects) {
      if (purpose.open) open.set(subject, [...(open.get(subject) ?? []), purpose.label]);
      else closed.set(subject, (closed.get(subject) ?? 0) + 1);
    }
  }

  // A holder keeps its data while what it holds for is open, and is as recently active as that.
  for (const [heldFor, holder] of holders) {
    const labels = (open.get(heldFor) ?? []).map((label) => `${label} (of ${heldFor})`);
    if (labels.length > 0) open.set(holder, [...(open.get(holder) ?? []), ...labels]);
    const last = lastActivity.get(heldFor);
    if (last) noteActivity(lastActivity, holder, last);
  }

  const due: SubjectStanding[] = [];
  const kept: SubjectStanding[] = [];
  for (const [subjectId, last] of [...lastActivity].sort((a, b) => a[1].localeCompare(b[1]))) {
    if (!options.subjects.has(subjectId)) continue;
    const openPurposes = open.get(subjectId) ?? [];
    const dueAt = openPurposes.length > 0 ? null : plusYears(last, policy.yearsAfterPurposeEnds);
    const standing = {
      subjectId,
      lastActivity: last,
      openPurposes,
      closedPurposes: closed.get(subjectId) ?? 0,
      dueAt: dueAt?.toISOString() ?? null,
    };
    (dueAt && dueAt.getTime() <= options.at.getTime() ? due : kept).push(standing);
  }
  return {
    at: options.at.toISOString(),
    yearsAfterPurposeEnds: policy.yearsAfterPurposeEnds,
    due,
    kept,
    withoutEvents: [...options.subjects].filter((subject) => !lastActivity.has(subject)).sort(),
    unknownEventTypes: [...unknown].sort(),
  };
};

const noteActivity = (lastActivity: Map<string, string>, subject: string, at: string) => {
  const previous = lastActivity.get(subject);
  if (!previous || previous < at) lastActivity.set(subject, at);
};

const purposeId = (purpose: Purpose, key: string) => `${purpose}:${key}`;
