/** What a referenced line produced: the ids its command answered with or was sent to. */
export type Outputs = Readonly<Record<string, string>>;

export interface ImportRequest {
  method: 'POST' | 'PUT';
  path: string;
  body: Record<string, unknown>;
}

interface ImportCommand {
  /** Fields of `data` that name an earlier line, and so wait for it and use its outputs. */
  refs: Readonly<Record<string, true>>;
  /** A list field whose items name earlier lines in the given field (`pupils: [{ person: key }]`). */
  listRefs?: Readonly<Record<string, string>>;
  /** Waits for every earlier line, and every later line waits for it (a school year's end, say). */
  barrier?: boolean;
  request?(data: Record<string, unknown>, refs: Record<string, Outputs>, at: string): ImportRequest;
  /** A line answered from what earlier lines were answered with, sending nothing (an offering's successor). */
  derive?(data: Record<string, unknown>, answers: Record<string, unknown>): Outputs;
}

const without = (data: Record<string, unknown>, ...fields: string[]) =>
  Object.fromEntries(Object.entries(data).filter(([field]) => !fields.includes(field)));
const id = (outputs: Outputs | undefined, field: string): string => {
  const value = outputs?.[field];
  if (!value) throw new Error(`the referenced line gave no ${field}`);
  return encodeURIComponent(value);
};
const childOf = (outputs: Outputs | undefined) => id(outputs, outputs?.studentId ? 'studentId' : 'childId');
const segment = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`data.${field} must be a non-empty string`);
  return encodeURIComponent(value);
};

/**
 * The commands an import may carry, each the platform's own command API route: an imported fact passes the same
 * checks as one typed in today (ADR 0014). The request body is the line's data without its references.
 */
export const IMPORT_COMMANDS = {
  registerPerson: {
    refs: {},
    request: (data) => ({ method: 'POST', path: '/people', body: data }),
  },
  openOffering: {
    refs: {},
    request: (data) => ({ method: 'POST', path: '/enrolment/offerings', body: data }),
  },
  enrolStudent: {
    refs: { offering: true, person: true },
    request: (data, { offering, person }) => ({
      method: 'POST',
      path: `/enrolment/offerings/${id(offering, 'offeringId')}/places`,
      body: { ...without(data, 'offering', 'person'), personId: person?.personId },
    }),
  },
  reregisterPlace: {
    refs: { place: true },
    request: (data, { place }) => ({
      method: 'POST',
      path: `/enrolment/places/${id(place, 'placeId')}/reregistration`,
      body: without(data, 'place'),
    }),
  },
  rollOver: {
    refs: {},
    barrier: true,
    request: (data) => ({
      method: 'POST',
      path: `/enrolment/school-years/${segment(data.schoolYear, 'schoolYear')}/rollover`,
      body: without(data, 'schoolYear'),
    }),
  },
  successorOffering: {
    refs: { rollover: true, offering: true },
    derive: (data, answers) => {
      const from = (answers.offering as { offeringId?: unknown } | undefined)?.offeringId;
      const opened = (answers.rollover as { offerings?: { fromOfferingId: string; offeringId: string }[] }).offerings;
      const successor = opened?.find((o) => o.fromOfferingId === from);
      if (!successor) throw new Error(`the rollover opened no successor of ${String(data.offering)}`);
      return { offeringId: successor.offeringId };
    },
  },
  withdrawPlace: {
    refs: { place: true },
    request: (data, { place }) => ({
      method: 'POST',
      path: `/enrolment/offerings/${id(place, 'offeringId')}/places/${id(place, 'placeId')}/withdraw`,
      body: without(data, 'place'),
    }),
  },
  transferPlace: {
    refs: { place: true, toOffering: true },
    request: (data, { place, toOffering }) => ({
      method: 'POST',
      path: `/enrolment/offerings/${id(place, 'offeringId')}/places/${id(place, 'placeId')}/transfer`,
      body: { ...without(data, 'place', 'toOffering'), toOfferingId: toOffering?.offeringId },
    }),
  },
  submitApplication: {
    refs: { offering: true },
    // The application date is the line's own: waiting time and queue order count from it.
    request: (data, { offering }, at) => ({
      method: 'POST',
      path: `/waitlist/offerings/${id(offering, 'offeringId')}/applications`,
      body: { ...without(data, 'offering'), appliedAt: new Date(at).toISOString() },
    }),
  },
  reconfirmApplication: {
    refs: { application: true },
    request: (data, { application }) => ({
      method: 'POST',
      path: `/waitlist/offerings/${id(application, 'offeringId')}/applications/${id(application, 'applicationId')}/reconfirm`,
      body: without(data, 'application'),
    }),
  },
  withdrawApplication: {
    refs: { application: true },
    request: (data, { application }) => ({
      method: 'POST',
      path: `/waitlist/offerings/${id(application, 'offeringId')}/applications/${id(application, 'applicationId')}/withdraw`,
      body: without(data, 'application'),
    }),
  },
  runMainAdmission: {
    refs: { offering: true },
    request: (data, { offering }) => ({
      method: 'POST',
      path: `/waitlist/offerings/${id(offering, 'offeringId')}/main-admission`,
      body: without(data, 'offering'),
    }),
  },
  joinKulturdag: {
    refs: {},
    request: (data) => ({
      method: 'POST',
      path: `/enrolment/kulturdag/schools/${segment(data.schoolId, 'schoolId')}/join`,
      body: without(data, 'schoolId'),
    }),
  },
  registerKulturdagPupils: {
    refs: {},
    listRefs: { pupils: 'person' },
    request: (data, refs) => ({
      method: 'POST',
      path: `/enrolment/kulturdag/schools/${segment(data.schoolId, 'schoolId')}/pupils`,
      body: {
        ...without(data, 'schoolId', 'pupils'),
        pupils: (data.pupils as { person: string; [field: string]: unknown }[]).map(({ person, ...pupil }) => ({
          ...pupil,
          pupilId: refs[`pupils:${person}`]?.personId,
        })),
      },
    }),
  },
  registerPayer: {
    refs: { child: true },
    request: (data, { child }) => ({
      method: 'PUT',
      path: `/funding/children/${childOf(child)}/payer`,
      body: without(data, 'child'),
    }),
  },
  applyForWaiver: {
    refs: {},
    request: (data) => ({ method: 'POST', path: '/funding/fee-waivers/applications', body: data }),
  },
  decideWaiver: {
    refs: { application: true },
    request: (data, { application }) => ({
      method: 'POST',
      path: `/funding/fee-waivers/applications/${id(application, 'applicationId')}/decision`,
      body: without(data, 'application'),
    }),
  },
} satisfies Record<string, ImportCommand>;

export type ImportCommandName = keyof typeof IMPORT_COMMANDS;

export const importCommand = (name: ImportCommandName): ImportCommand => IMPORT_COMMANDS[name];

/** The keys of earlier lines a line names: its reference fields, and the items of its list references. */
export const referencesOf = (
  command: ImportCommand,
  data: Record<string, unknown>,
): { field: string; key: unknown }[] => [
  ...Object.keys(command.refs).map((field) => ({ field, key: data[field] })),
  ...Object.entries(command.listRefs ?? {}).flatMap(([list, inner]) => {
    const items = Array.isArray(data[list]) ? (data[list] as unknown[]) : [undefined];
    return items.map((item) => ({
      field: `${list}:${String((item as Record<string, unknown> | undefined)?.[inner])}`,
      key: (item as Record<string, unknown> | undefined)?.[inner],
    }));
  }),
];
