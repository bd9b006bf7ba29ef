import { get, type Freshness } from '../api';
import { Bars, FreshnessNote, Loading, Section, Table } from '../components/ui';
import { number, percent, schoolYearOf } from '../format';
import { useLive } from '../live';
import type { Role } from '../session';

interface DistrictRow {
  group: string;
  students: number;
  places: number;
  waiting: number;
}
interface DemographicRow {
  ageBand: string;
  gender: string;
  students: number;
  waitingChildren: number;
}
interface WaiverRow {
  district: string;
  students: number;
  studentsWithWaiver: number;
  sharePercent: number | null;
}
interface ReachRow {
  district: string;
  waiverSharePercent: number;
  lowIncomeReferencePercent: number;
}

const AGE_BANDS: Record<string, string> = {
  under: 'Under 6 år',
  in: '6–15 år',
  over: 'Over 15 år',
  unknown: 'Ukjent alder',
};

/** Of the children who want a place (students and waiting), the share who have one. */
const servedShare = (students: number, waiting: number): number | null =>
  students + waiting === 0 ? null : (students / (students + waiting)) * 100;

/** «Kulturskole for alle»: does the queue serve every district, age and household alike? */
export const Likeverd = ({ role, day }: { role: Role; day: string }) => {
  const schoolYear = schoolYearOf(day);
  const lastYearDay = `${Number(day.slice(0, 4)) - 1}${day.slice(4)}`;
  const live = useLive(async () => {
    const [districts, lastYear, demographics, waivers, reach] = await Promise.all([
      get<{ items: DistrictRow[]; freshness: Freshness }>(`/statistics/breakdown/district?date=${day}&limit=100`),
      get<{ items: DistrictRow[] }>(`/statistics/breakdown/district?date=${lastYearDay}&limit=100`),
      get<{ items: DemographicRow[] }>(`/statistics/demographics?date=${day}`),
      get<{ items: WaiverRow[] }>(`/statistics/waivers?date=${day}`),
      role === 'admin' ? get<ReachRow[]>(`/funding/fee-waivers/reach?schoolYear=${schoolYear}`) : null,
    ]);
    return { districts, lastYear, demographics, waivers, reach };
  }, [role, day]);
  if (!live.data) return <Loading error={live.error} />;
  const { districts, lastYear, demographics, waivers, reach } = live.data;
  const bands = Object.keys(AGE_BANDS)
    .map((band) => {
      const rows = demographics.items.filter((row) => row.ageBand === band);
      const students = rows.reduce((sum, row) => sum + row.students, 0);
      const waiting = rows.reduce((sum, row) => sum + row.waitingChildren, 0);
      return { band, students, waiting };
    })
    .filter((row) => row.students + row.waiting > 0);
  const before = new Map(lastYear.items.map((row) => [row.group, row]));
  return (
    <div data-live-version={live.version}>
      <Section title="Får barna i alle bydeler plass?" id="bydel">
        <Bars
          title="Andel av barna som vil ha plass (elever og ventende) som har fått plass, per bydel"
          format={percent}
          bars={districts.items.map((row) => ({
            label: row.group,
            value: servedShare(row.students, row.waiting),
            reference: before.has(row.group)
              ? servedShare(before.get(row.group)?.students ?? 0, before.get(row.group)?.waiting ?? 0)
              : null,
          }))}
          referenceLabel={`samme dag året før (${schoolYearOf(lastYearDay)})`}
        />
        <Table
          caption={`Per bydel, ${schoolYear} mot året før`}
          rows={districts.items}
          rowKey={(row) => row.group}
          columns={[
            { label: 'Bydel', value: (row) => row.group },
            { label: 'Elever', value: (row) => number(row.students), numeric: true },
            { label: 'Ventende', value: (row) => number(row.waiting), numeric: true },
            {
              label: 'Andel med plass',
              value: (row) => percent(servedShare(row.students, row.waiting)),
              numeric: true,
            },
            {
              label: 'Andel året før',
              value: (row) => {
                const old = before.get(row.group);
                return old ? percent(servedShare(old.students, old.waiting)) : '–';
              },
              numeric: true,
            },
          ]}
        />
        <FreshnessNote freshness={districts.freshness} />
      </Section>
      <Section title="Per aldersgruppe" id="alder">
        <Table
          caption="Elever og ventende barn per aldersgruppe"
          rows={bands}
          rowKey={(row) => row.band}
          columns={[
            { label: 'Alder', value: (row) => AGE_BANDS[row.band] ?? row.band },
            { label: 'Elever', value: (row) => number(row.students), numeric: true },
            { label: 'Ventende', value: (row) => number(row.waiting), numeric: true },
            {
              label: 'Andel med plass',
              value: (row) => percent(servedShare(row.students, row.waiting)),
              numeric: true,
            },
          ]}
        />
      </Section>
      <Section title="Husstander med friplass" id="friplass">
        <Bars
          title="Andel elever med friplass per bydel"
          format={percent}
          bars={
            (reach ?? []).length
              ? (reach ?? []).map((row) => ({
                  label: row.district,
                  value: row.waiverSharePercent,
                  reference: row.lowIncomeReferencePercent,
                }))
              : waivers.items.map((row) => ({ label: row.district, value: row.sharePercent }))
          }
          referenceLabel={reach ? 'andel barn i lavinntektshusholdninger (referanse)' : undefined}
        />
        <Table
          caption="Elever med friplass per bydel"
          rows={waivers.items}
          rowKey={(row) => row.district}
          columns={[
            { label: 'Bydel', value: (row) => row.district },
            { label: 'Elever', value: (row) => number(row.students), numeric: true },
            { label: 'Med friplass', value: (row) => number(row.studentsWithWaiver), numeric: true },
            { label: 'Andel', value: (row) => percent(row.sharePercent), numeric: true },
          ]}
        />
        <p class="note">
          Ventetid og opptaksrate for barn i husstander med friplass mot de andre, og ventetid per bydel, gir API-et
          ikke ennå.
        </p>
      </Section>
    </div>
  );
};
