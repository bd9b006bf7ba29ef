import type { ListSpec } from '#libs/query';

export const REREGISTRATION_STATES = ['overdue', 'continued-by-silence', 'quit-by-silence', 'awaiting'] as const;
export type ReregistrationState = (typeof REREGISTRATION_STATES)[number];

/** One row of the worklist: a place whose family has not answered the spring's question. */
export interface UnansweredReregistration {
  placeId: string;
  offeringId: string;
  studentId: string;
  subject: string | null;
  location: string | null;
  schoolYear: string;
  deadline: string;
  requestedOn: string;
  remindedOn: string | null;
  /**
   * overdue: the deadline passed and silence is not applied yet; continued-/quit-by-silence: the policy answered for
   * the family; awaiting: the deadline is still ahead (listed only when asked for).
   */
  state: ReregistrationState;
  daysOverdue: number;
}

/**
 * Places asked to re-register whose family gave no reply: a reply (continue or quit) takes a place off the list, and
 * so does a place that ended otherwise before silence answered for it. `today` is the Oslo day the deadline is
 * compared with; without `includeAwaiting` only the places whose deadline has passed are listed.
 */
export const unansweredReregistrationsSpec = (
  table: (name: string) => string,
  today: string,
  includeAwaiting: boolean,
): ListSpec => ({
  from: (params, tenant) => {
    const day = params.add(today, 'date');
    return `SELECT * FROM (
      SELECT r.tenant, r.place_id AS "placeId", r.offering_id AS "offeringId", r.student_id AS "studentId",
             o.subject AS "subject", o.location AS "location", r.school_year AS "schoolYear",
             r.deadline::text AS "deadline", r.requested_on::text AS "requestedOn", r.reminded_on::text AS "remindedOn",
             CASE WHEN r.answer = 'silence' THEN CASE WHEN r.continues THEN 'continued-by-silence' ELSE 'quit-by-silence' END
                  WHEN r.deadline < ${day} THEN 'overdue' ELSE 'awaiting' END AS "state",
             greatest(${day} - r.deadline, 0)::int AS "daysOverdue"
        FROM ${table('place_reregistrations')} r
        LEFT JOIN ${table('reregistration_offerings')} o ON o.tenant = r.tenant AND o.offering_id = r.offering_id
       WHERE r.tenant = ${tenant} AND r.answer IS DISTINCT FROM 'reply'
         AND (r.place_ended_on IS NULL OR r.continues = false)
    ) u${includeAwaiting ? '' : ` WHERE u."state" <> 'awaiting'`}`;
  },
  columns: {
    placeId: { type: 'text', filter: true, sort: true },
    offeringId: { type: 'text', filter: true, sort: true },
    studentId: { type: 'text', filter: true },
    subject: { type: 'text', filter: true, sort: true },
    location: { type: 'text', filter: true, sort: true },
    schoolYear: { type: 'text', filter: true, sort: true },
    deadline: { type: 'date', sort: true },
    requestedOn: { type: 'date', sort: true },
    remindedOn: { type: 'date', sort: true },
    state: { type: 'text', filter: true, sort: true },
    daysOverdue: { type: 'integer', sort: true },
  },
  key: ['placeId'],
  defaultSort: [
    { column: 'deadline', direction: 'asc' },
    { column: 'placeId', direction: 'asc' },
  ],
});
