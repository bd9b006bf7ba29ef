import { useEffect, useState } from 'preact/hooks';
import { get, type Freshness } from '../api';
import { Bars, FreshnessNote, Loading, Section, Table } from '../components/ui';
import { date, number, percent, schoolYearOf, todayInOslo } from '../format';
import { useLive } from '../live';
import type { Role } from '../session';

/** A count, or "under 5" where the API suppressed a small cell. */
type Shown = number | string;
export interface EquityRow {
  dimension: 'all' | 'district' | 'ageBand' | 'waiver';
  group: string;
  waitingChildren: Shown;
  medianWaitDays: number | null;
  meanWaitDays: number | null;
  applications: Shown;
  admitted: Shown;
  admissionRatePercent: number | null;
}
interface Equity {
  schoolYear: string;
  date: string;
  totals: EquityRow;
  byDistrict: EquityRow[];
  byAgeBand: EquityRow[];
  byWaiver: EquityRow[];
  freshness: Freshness;
}
interface YearRow extends EquityRow {
  schoolYear: string;
  date: string;
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
const WAIVER_GROUPS: Record<string, string> = {
  'with-waiver': 'Husstander med friplass',
  'without-waiver': 'Andre husstander',
};

/** A count as shown: a suppressed small cell reads «under 5», as in Statistisk sentralbyrå's tables. */
export const shown = (value: Shown): string => (typeof value === 'number' ? number(value) : 'under 5');
const days = (value: number | null): string =>
  value == null ? 'for få til å vise' : `${number(value)} ${value === 1 ? 'dag' : 'dager'}`;

/** The last day of a school year (31 July), or today for the year under way. */
const countedOn = (schoolYear: string, day: string): string => {
  if (schoolYearOf(day) === schoolYear) return day;
  const last = `${schoolYear.slice(5, 9)}-07-31`;
  const today = todayInOslo();
  return last < today ? last : today;
};

const COLUMNS = (first: { label: string; value: (row: EquityRow) => string }) => [
  first,
  { label: 'Ventende barn', value: (row: EquityRow) => shown(row.waitingChildren), numeric: true },
  { label: 'Ventetid, median (dager)', value: (row: EquityRow) => number(row.medianWaitDays), numeric: true },
  { label: 'Ventetid, snitt (dager)', value: (row: EquityRow) => number(row.meanWaitDays), numeric: true },
  { label: 'Søknader', value: (row: EquityRow) => shown(row.applications), numeric: true },
  { label: 'Fikk plass', value: (row: EquityRow) => shown(row.admitted), numeric: true },
  { label: 'Opptaksrate', value: (row: EquityRow) => percent(row.admissionRatePercent), numeric: true },
];

/** A group's median wait in words; a suppressed one says why it is not given. */
const waitOf = (who: string, row: EquityRow | undefined): string =>
  row?.medianWaitDays == null
    ? `ventetiden for ${who} vises ikke (færre enn 5 venter)`
    : `${who} har ventet ${days(row.medianWaitDays)} (median)`;
const admissionOf = (who: string, row: EquityRow | undefined): string =>
  row?.admissionRatePercent == null
    ? `opptaksraten for ${who} vises ikke (for få søknader)`
    : `${percent(row.admissionRatePercent)} av søknadene fra ${who} har gitt plass`;
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The sentences a politician reads first: are children of households with a fee waiver served as the rest? */
const Headline = ({ equity }: { equity: Equity }) => {
  const waived = equity.byWaiver.find((row) => row.group === 'with-waiver');
  const others = equity.byWaiver.find((row) => row.group === 'without-waiver');
  const longest = equity.byDistrict
    .filter((row) => row.medianWaitDays != null)
    .sort((a, b) => (b.medianWaitDays ?? 0) - (a.medianWaitDays ?? 0))[0];
  return (
    <div class="headline" data-headline>
      <p>
        <strong>{capitalised(waitOf('barn i husstander med friplass', waived))}</strong>; {waitOf('andre barn', others)}
        .
      </p>
      <p>
        <strong>{capitalised(admissionOf('husstander med friplass', waived))}</strong>;{' '}
        {admissionOf('andre husstander', others)}.
      </p>
      <p>
        {longest
          ? `Lengst ventetid har ${longest.group}: ${days(longest.medianWaitDays)} (median). `
          : 'Ingen bydel har mange nok ventende til å vise ventetid. '}
        I alt venter {shown(equity.totals.waitingChildren)} barn, og {percent(equity.totals.admissionRatePercent)} av
        årets {shown(equity.totals.applications)} søknader har gitt plass.
      </p>
    </div>
  );
};

/** «Kulturskole for alle»: does the queue serve every district, age and household alike? */
export const Likeverd = ({ role, day }: { role: Role; day: string }) => {
  const [year, setYear] = useState<string | null>(null);
  // A new day chosen above: its own school year again.
  useEffect(() => setYear(null), [day]);
  const schoolYear = year ?? schoolYearOf(day);
  const on = countedOn(schoolYear, day);
  const live = useLive(async () => {
    const [equity, years, waivers, reach] = await Promise.all([
      get<Equity>(`/statistics/equity?schoolYear=${schoolYear}&date=${on}`),
      get<{ items: YearRow[]; freshness: Freshness }>('/statistics/equity/school-years'),
      get<{ items: WaiverRow[] }>(`/statistics/waivers?schoolYear=${schoolYear}&date=${on}`),
      role === 'admin' ? get<ReachRow[]>(`/funding/fee-waivers/reach?schoolYear=${schoolYear}`) : null,
    ]);
    return { equity, years, waivers, reach };
  }, [role, schoolYear, on]);
  const choices = [
    ...new Set([...(live.data?.years.items.map((row) => row.schoolYear) ?? []), schoolYearOf(day), schoolYear]),
  ].sort();
  const chooser = (
    <form class="filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        Skoleår
        <select value={schoolYear} data-choose="school-year" onChange={(event) => setYear(event.currentTarget.value)}>
          {choices.map((choice) => (
            <option value={choice}>{choice}</option>
          ))}
        </select>
      </label>
      <span class="note" data-counted-on={on}>
        Tall per {date(on)}
      </span>
    </form>
  );
  if (!live.data)
    return (
      <>
        {chooser}
        <Loading error={live.error} />
      </>
    );
  const { equity, years, waivers, reach } = live.data;
  const yearTotals = years.items.filter((row) => row.dimension !== 'district' && row.dimension !== 'ageBand');
  return (
    <div data-live-version={live.version}>
      {chooser}
      <Section title="Kulturskole for alle?" id="hovedtall">
        <Headline equity={equity} />
        <p class="note">
          Små tall skjules: færre enn 5 barn vises som «under 5», og ventetid og opptaksrate vises ikke der de ville
          avsløre et så lite tall (slik Statistisk sentralbyrå gjør).
        </p>
      </Section>
      <Section title="Ventetid og opptak per bydel" id="bydel">
        <Bars
          title="Ventetid (median, dager) for ventende barn per bydel"
          format={(value) => (value == null ? 'for få til å vise' : `${number(value)} d`)}
          bars={equity.byDistrict.map((row) => ({ label: row.group, value: row.medianWaitDays }))}
        />
        <Table
          caption={`Per bydel, ${equity.schoolYear}, per ${date(equity.date)}`}
          rows={equity.byDistrict}
          rowKey={(row) => row.group}
          columns={COLUMNS({ label: 'Bydel', value: (row) => row.group })}
        />
        <FreshnessNote freshness={equity.freshness} />
      </Section>
      <Section title="Per aldersgruppe" id="alder">
        <Table
          caption="Ventetid og opptak per aldersgruppe (alder ved skoleårets start)"
          rows={equity.byAgeBand}
          rowKey={(row) => row.group}
          columns={COLUMNS({ label: 'Alder', value: (row) => AGE_BANDS[row.group] ?? row.group })}
        />
      </Section>
      <Section title="Husstander med friplass mot de andre" id="friplass">
        <Bars
          title="Opptaksrate: andel av søknadene som ga plass"
          format={(value) => (value == null ? 'for få' : percent(value))}
          bars={equity.byWaiver.map((row) => ({
            label: WAIVER_GROUPS[row.group] ?? row.group,
            value: row.admissionRatePercent,
          }))}
        />
        <Table
          caption="Ventetid og opptak for barn i husstander med friplass og de andre"
          rows={equity.byWaiver}
          rowKey={(row) => row.group}
          columns={COLUMNS({ label: 'Gruppe', value: (row) => WAIVER_GROUPS[row.group] ?? row.group })}
        />
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
      </Section>
      <Section title="Over skoleår" id="over-tid">
        <Table
          caption="Hvert skoleår talt ved årets slutt (31. juli), eller i dag for inneværende år"
          rows={yearTotals}
          rowKey={(row) => `${row.schoolYear}-${row.group}`}
          columns={[
            { label: 'Skoleår', value: (row) => row.schoolYear },
            {
              label: 'Gruppe',
              value: (row) => (row.dimension === 'all' ? 'Alle' : (WAIVER_GROUPS[row.group] ?? row.group)),
            },
            ...COLUMNS({ label: 'Talt per', value: (row) => date((row as YearRow).date) }).slice(1),
          ]}
        />
        <FreshnessNote freshness={years.freshness} />
      </Section>
    </div>
  );
};
