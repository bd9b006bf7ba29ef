import { useLayoutEffect } from 'preact/hooks';
import { get, type Freshness } from '../api';
import { Bars, Figure, FreshnessNote, Loading, Section, Table } from '../components/ui';
import { kroner, number, percent, schoolYearOf, SUBJECT_GROUPS } from '../format';
import { useLive } from '../live';
import type { Role } from '../session';

interface Summary {
  students: number;
  places: number;
  waitingChildren: number;
  studentsWithWaiver: number;
  waiverSharePercent: number | null;
  studentsFemale: number;
  studentsMale: number;
  studentsInPrimarySchoolAge: number;
}
interface CoverageRow {
  district: string;
  students6to15: number;
  waitingChildren6to15: number;
  children6to15: number | null;
  coveragePercent: number | null;
}
interface Kulturdag {
  totals: { schools: number; pupilsReached: number; appliedForCore: number; gotCorePlace: number };
}
interface Budget {
  waivers: number;
  allocatedOre: number;
  usedOre: number;
  maxAmountOre: number | null;
}
interface QueueSummary {
  waiting: number;
  bySubjectGroup: Record<string, number>;
  medianWaitingDays: number | null;
  freshness: Freshness;
}

type Body<T> = { items: T[]; freshness: Freshness } & Record<string, unknown>;

/** The user-timing mark of the first screen's key figures, read by the browser test. */
export const FIRST_FIGURES = 'kulturskole:oversikt-tall';

const statisticsRoles: Role[] = ['admin', 'auditor'];
const fundingRoles: Role[] = ['admin', 'caseworker'];

/** The school at a glance, as of a chosen day: each panel reads on its own, so the first figures show first. */
export const Oversikt = ({ role, day }: { role: Role; day: string }) => {
  const stats = statisticsRoles.includes(role);
  const funding = fundingRoles.includes(role);
  return (
    <div>
      {stats ? <KeyFigures day={day} /> : null}
      {stats ? <Coverage day={day} /> : null}
      {stats ? <KulturdagPanel day={day} /> : null}
      {funding ? <Waivers schoolYear={schoolYearOf(day)} /> : null}
      {funding ? <QueueToday /> : null}
    </div>
  );
};

const KeyFigures = ({ day }: { day: string }) => {
  const live = useLive(() => get<Body<Summary>>(`/statistics/summary?date=${day}`), [day]);
  const s = live.data?.items[0];
  // A user-timing mark once the key figures are in the document (a layout effect runs right after the commit, before
  // the paint; a plain effect waits for an animation frame, which a loaded headless browser delays by seconds).
  useLayoutEffect(() => {
    if (s && performance.getEntriesByName(FIRST_FIGURES).length === 0) performance.mark(FIRST_FIGURES);
  }, [s]);
  return (
    <Section title="Elever, plasser og venteliste" id="nokkeltall">
      {!s ? (
        <Loading error={live.error} />
      ) : (
        <div data-live-version={live.version}>
          <dl class="figures">
            <Figure id="students" label="Elever" value={number(s.students)} note="hver elev én gang" />
            <Figure id="places" label="Plasser" value={number(s.places)} />
            <Figure id="waiting" label="Barn på venteliste" value={number(s.waitingChildren)} />
            <Figure
              id="waiver-share"
              label="Elever med friplass"
              value={number(s.studentsWithWaiver)}
              note={percent(s.waiverSharePercent)}
            />
          </dl>
          <FreshnessNote freshness={live.data?.freshness} />
        </div>
      )}
    </Section>
  );
};

const Coverage = ({ day }: { day: string }) => {
  const live = useLive(() => get<Body<CoverageRow>>(`/statistics/coverage?date=${day}`), [day]);
  const covered = live.data?.items ?? [];
  const children = covered.reduce((sum, row) => sum + (row.children6to15 ?? 0), 0);
  const students6to15 = covered.reduce((sum, row) => sum + row.students6to15, 0);
  const waiting6to15 = covered.reduce((sum, row) => sum + row.waitingChildren6to15, 0);
  return (
    <Section title="Dekningsgrad 6–15 år per bydel" id="dekning">
      {!live.data ? (
        <Loading error={live.error} />
      ) : (
        <>
          <p>
            Målet i planen er deltakelse fra alle bydeler. Andel barn 6–15 år med plass i kulturskolen, mot et estimert
            barnetall per bydel.
          </p>
          <Bars
            title="Andel barn 6–15 år som er elever, per bydel"
            format={percent}
            bars={covered.map((row) => ({ label: row.district, value: row.coveragePercent }))}
          />
          <dl class="figures">
            <Figure
              id="kostra-students"
              label="KOSTRA: andel 6–15 år i kulturskolen"
              value={percent(children ? (students6to15 / children) * 100 : null)}
            />
            <Figure
              id="kostra-waiting"
              label="KOSTRA: andel 6–15 år på venteliste"
              value={percent(children ? (waiting6to15 / children) * 100 : null)}
            />
          </dl>
          <FreshnessNote freshness={live.data.freshness} />
        </>
      )}
    </Section>
  );
};

const KulturdagPanel = ({ day }: { day: string }) => {
  const live = useLive(() => get<Body<unknown> & Kulturdag>(`/statistics/kulturdag?date=${day}`), [day]);
  const totals = live.data?.totals;
  return (
    <Section title="Kulturdag" id="kulturdag">
      {!totals ? (
        <Loading error={live.error} />
      ) : (
        <dl class="figures">
          <Figure id="kulturdag-schools" label="Skoler" value={number(totals.schools)} />
          <Figure id="kulturdag-pupils" label="Elever nådd" value={number(totals.pupilsReached)} />
          <Figure id="kulturdag-applied" label="Søkte kjerneplass" value={number(totals.appliedForCore)} />
          <Figure id="kulturdag-got" label="Fikk kjerneplass" value={number(totals.gotCorePlace)} />
        </dl>
      )}
    </Section>
  );
};

const Waivers = ({ schoolYear }: { schoolYear: string }) => {
  const live = useLive(() => get<Budget>(`/funding/fee-waivers/budget/${schoolYear}`), [schoolYear]);
  const budget = live.data;
  return (
    <Section title={`Friplasser ${schoolYear}`} id="friplass">
      {!budget ? (
        <Loading error={live.error} />
      ) : (
        <dl class="figures">
          <Figure id="waivers-granted" label="Innvilget" value={number(budget.waivers)} />
          <Figure id="waivers-allocated" label="Kostnad (avsatt)" value={kroner(budget.allocatedOre)} />
          <Figure id="waivers-used" label="Brukt" value={kroner(budget.usedOre)} />
          <Figure
            id="waivers-budget"
            label="Årets budsjett"
            value={kroner(budget.maxAmountOre)}
            note={
              budget.maxAmountOre
                ? `${percent((budget.allocatedOre / budget.maxAmountOre) * 100)} brukt`
                : 'intet budsjett satt'
            }
          />
        </dl>
      )}
    </Section>
  );
};

const QueueToday = () => {
  const live = useLive(() => get<QueueSummary>('/waitlist/queue/summary'), []);
  const queue = live.data;
  return (
    <Section title="Venteliste i dag" id="venteliste-na">
      {!queue ? (
        <Loading error={live.error} />
      ) : (
        <>
          <Table
            caption={`Ventende søknader per fagområde (median ventetid ${number(queue.medianWaitingDays)} dager)`}
            columns={[
              { label: 'Fagområde', value: (row: [string, number]) => SUBJECT_GROUPS[row[0]] ?? row[0] },
              { label: 'Ventende', value: (row) => number(row[1]), numeric: true },
            ]}
            rows={Object.entries(queue.bySubjectGroup)}
          />
          <FreshnessNote freshness={queue.freshness} />
        </>
      )}
    </Section>
  );
};
