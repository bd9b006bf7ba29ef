import { useState } from 'preact/hooks';
import { get, getCsv, type Freshness } from '../api';
import { FreshnessNote, Loading, Section, Table } from '../components/ui';
import { date, number, SUBJECT_GROUPS } from '../format';
import { useLive } from '../live';

interface GsiLine {
  line: string;
  measure: string;
  group: string;
  girls: number;
  boys: number;
  genderUnknown: number;
  total: number;
}

// The form's own grouping: students by age (A1–A4, A11), places per subject group (A5), the waitlist (A6).
const MEASURES: Record<string, string> = {
  students: 'Elever',
  places: 'Elevplasser per fagområde',
  waitlist: 'Venteliste per fagområde',
};
const GROUPS: Record<string, string> = {
  'under primary-school age (under 6)': 'under grunnskolealder (under 6 år)',
  'in primary-school age (6–15)': 'i grunnskolealder (6–15 år)',
  'over primary-school age (over 15)': 'over grunnskolealder (over 15 år)',
  'total (each student once)': 'totalt (hver elev én gang)',
  'total (each child once)': 'totalt (hvert barn én gang)',
  total: 'totalt',
  'from other municipalities (each student once; also in A1–A4)':
    'fra andre kommuner (hver elev én gang; også i A1–A4)',
};

/** The last 1 October that has passed (Oslo), and the years before it back to the first the school counted. */
const lastCountedYear = (today: string): number => {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '10-02' ? year : year - 1;
};

/** GSI section A as of 1 October of a chosen year, grouped as the form is, with the CSV the form takes. */
export const Gsi = ({ today }: { today: string }) => {
  const latest = lastCountedYear(today);
  const [year, setYear] = useState(latest);
  const [status, setStatus] = useState('');
  const live = useLive(
    () =>
      get<{ items: GsiLine[]; countedOn: string; notes: string[]; freshness: Freshness }>(`/statistics/gsi/${year}`),
    [year],
  );
  const download = async () => {
    try {
      const csv = await getCsv(`/statistics/gsi/${year}?format=csv`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      link.download = `gsi-del-a-${year}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setStatus(`Lastet ned gsi-del-a-${year}.csv`);
    } catch (error) {
      setStatus(`Nedlastingen feilet: ${(error as Error).message}`);
    }
  };
  const measures = live.data ? [...new Set(live.data.items.map((item) => item.measure))] : [];
  return (
    <div data-live-version={live.version}>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Telledato
          <select value={String(year)} onChange={(event) => setYear(Number(event.currentTarget.value))}>
            {[latest, latest - 1, latest - 2].map((y) => (
              <option value={String(y)}>1. oktober {y}</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void download()} data-action="gsi-csv">
          Last ned CSV
        </button>
        <span role="status" aria-live="polite">
          {status}
        </span>
      </form>
      {!live.data ? (
        <Loading error={live.error} />
      ) : (
        <>
          {measures.map((measure) => {
            const rows = live.data?.items.filter((item) => item.measure === measure) ?? [];
            return (
              <Section title={MEASURES[measure] ?? measure} id={`gsi-${measure}`}>
                <Table
                  caption={`GSI del A per ${date(live.data?.countedOn)}: ${(MEASURES[measure] ?? measure).toLowerCase()}`}
                  rows={rows}
                  rowKey={(row) => row.line}
                  columns={[
                    { label: 'Linje', value: (row) => row.line },
                    { label: 'Gruppe', value: (row) => GROUPS[row.group] ?? SUBJECT_GROUPS[row.group] ?? row.group },
                    { label: 'Jenter', value: (row) => number(row.girls), numeric: true },
                    { label: 'Gutter', value: (row) => number(row.boys), numeric: true },
                    { label: 'Ukjent kjønn', value: (row) => number(row.genderUnknown), numeric: true },
                    { label: 'Totalt', value: (row) => number(row.total), numeric: true },
                  ]}
                />
              </Section>
            );
          })}
          <FreshnessNote freshness={live.data.freshness} />
        </>
      )}
    </div>
  );
};
