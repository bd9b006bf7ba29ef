import { useState } from 'preact/hooks';
import { get, type Freshness } from '../api';
import { FreshnessNote, Loading, Section, Table } from '../components/ui';
import { date, deadline, number, reason, SUBJECT_GROUPS } from '../format';
import { useLive } from '../live';

export interface QueueEntry {
  offeringId: string;
  subject: string | null;
  location: string | null;
  applicationId: string;
  childId: string;
  childName?: string;
  position: number;
  reasons: string[];
  appliedOn: string;
  waitingDays: number;
  district: string | null;
  lastAdmissionRefusal: { code: string; message: string; at: string } | null;
}
export interface OpenOffer {
  offeringId: string;
  subject: string | null;
  applicationId: string;
  childId: string;
  childName?: string;
  offerId: string;
  deadline: string | null;
}
export interface Page<T> {
  total: number;
  items: T[];
  freshness: Freshness;
}

/** The queue per subject group and district, longest waits first, with positions, reasons and open offers. */
export const Venteliste = () => {
  const [group, setGroup] = useState('');
  const [district, setDistrict] = useState('');
  const live = useLive(async () => {
    const filter = `${group ? `&subjectGroup=${group}` : ''}${district ? `&district=${encodeURIComponent(district)}` : ''}`;
    const [queue, offers, summary] = await Promise.all([
      get<Page<QueueEntry>>(`/waitlist/queue?names=true&limit=200${filter}`),
      get<Page<OpenOffer>>(`/waitlist/queue/offers?names=true&limit=200${filter}`),
      get<{ byDistrict: Record<string, number>; freshness: Freshness }>('/waitlist/queue/summary'),
    ]);
    return { queue, offers, summary };
  }, [group, district]);
  const districts = live.data ? Object.keys(live.data.summary.byDistrict).filter((d) => d !== 'unknown') : [];
  return (
    <div data-live-version={live.version}>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Fagområde
          <select value={group} onChange={(event) => setGroup(event.currentTarget.value)}>
            <option value="">Alle</option>
            {Object.entries(SUBJECT_GROUPS).map(([key, name]) => (
              <option value={key}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          Bydel
          <select value={district} onChange={(event) => setDistrict(event.currentTarget.value)}>
            <option value="">Alle</option>
            {districts.map((name) => (
              <option value={name}>{name}</option>
            ))}
          </select>
        </label>
      </form>
      {!live.data ? (
        <Loading error={live.error} />
      ) : (
        <>
          <Section title="Åpne tilbud og svarfrister" id="tilbud">
            <Table
              caption={`${number(live.data.offers.total)} tilbud venter på svar`}
              rows={live.data.offers.items}
              rowKey={(row) => row.offerId}
              columns={[
                { label: 'Barn', value: (row) => row.childName ?? '–' },
                { label: 'Fag', value: (row) => row.subject ?? '–' },
                { label: 'Svarfrist', value: (row) => deadline(row.deadline) },
              ]}
            />
          </Section>
          <MainAdmission queue={live.data.queue.items} />
          <Section title="Ventende, lengst ventetid først" id="ko">
            <Table
              caption={`${number(live.data.queue.total)} ventende søknader (viser ${number(live.data.queue.items.length)})`}
              rows={[...live.data.queue.items].sort((a, b) => b.waitingDays - a.waitingDays)}
              rowKey={(row) => row.applicationId}
              columns={[
                { label: 'Barn', value: (row) => row.childName ?? '–' },
                { label: 'Fag', value: (row) => row.subject ?? '–' },
                { label: 'Sted', value: (row) => row.location ?? '–' },
                { label: 'Bydel', value: (row) => row.district ?? '–' },
                { label: 'Plass i køen', value: (row) => number(row.position), numeric: true },
                { label: 'Søkt', value: (row) => date(row.appliedOn) },
                { label: 'Ventet (dager)', value: (row) => number(row.waitingDays), numeric: true },
                { label: 'Grunnlag for plassen', value: (row) => row.reasons.map(reason).join('; ') },
              ]}
            />
            <FreshnessNote freshness={live.data.queue.freshness} />
          </Section>
        </>
      )}
    </div>
  );
};

interface Plan {
  schoolYear: string | null;
  day: string | null;
  status: 'planned' | 'run' | 'none';
  freeSeats: number;
  offers: { seat: number; position: number; applicationId: string; childId: string; reasons: string[] }[];
}

const PLAN_STATUS: Record<Plan['status'], string> = {
  planned: 'venter på hovedopptaket',
  run: 'hovedopptaket er kjørt',
  none: 'ingen hovedopptak: ledige plasser tilbys etter hvert som de blir ledige',
};

/** Rule 12: before a coming school year's main admission runs, which child would get which seat of an offering. */
const MainAdmission = ({ queue }: { queue: QueueEntry[] }) => {
  const offerings = [...new Map(queue.map((entry) => [entry.offeringId, entry])).values()].sort((a, b) =>
    `${a.subject} ${a.location}`.localeCompare(`${b.subject} ${b.location}`, 'nb'),
  );
  const [chosen, setChosen] = useState('');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = new Map(queue.map((entry) => [entry.childId, entry.childName]));
  const show = async (offeringId: string) => {
    setChosen(offeringId);
    setPlan(null);
    setError(null);
    if (!offeringId) return;
    try {
      setPlan(await get<Plan>(`/waitlist/offerings/${offeringId}/main-admission`));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <Section title="Hovedopptak" id="hovedopptak">
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Tilbud
          <select value={chosen} onChange={(event) => void show(event.currentTarget.value)}>
            <option value="">Velg et tilbud</option>
            {offerings.map((entry) => (
              <option value={entry.offeringId}>
                {entry.subject ?? '–'}, {entry.location ?? '–'}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      {plan ? (
        <>
          <p data-plan-status={plan.status}>
            Skoleår {plan.schoolYear ?? '–'}: {PLAN_STATUS[plan.status]}
            {plan.day ? ` (opptaksdag ${date(plan.day)})` : ''}; {number(plan.freeSeats)} ledige plasser.
          </p>
          {plan.status === 'planned' ? (
            <Table
              caption="Hvem som får hvilken plass om opptaket kjøres nå"
              rows={plan.offers}
              rowKey={(row) => row.applicationId}
              columns={[
                { label: 'Plass', value: (row) => number(row.seat), numeric: true },
                { label: 'Barn', value: (row) => names.get(row.childId) ?? '–' },
                { label: 'Plass i køen', value: (row) => number(row.position), numeric: true },
                { label: 'Grunnlag', value: (row) => row.reasons.map(reason).join('; ') },
              ]}
            />
          ) : null}
        </>
      ) : null}
    </Section>
  );
};
