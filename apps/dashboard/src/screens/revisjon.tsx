import { useState } from 'preact/hooks';
import { get } from '../api';
import { Loading, Section, Table } from '../components/ui';
import { instant } from '../format';
import { useLive } from '../live';

interface HistoryEntry {
  position: string;
  streamName: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; role: string };
  command: string;
  reason: string | null;
  via: string | null;
}
interface TrailRecord {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  subjectRef: string | null;
  outcome: string;
}

const OUTCOMES: Record<string, string> = { read: 'Lest', forbidden: 'Avvist', unauthenticated: 'Uten gyldig token' };

/** Read-only: the history of a person, application or offering (pseudonymous ids), and who read what. */
export const Revisjon = () => {
  const [id, setId] = useState('');
  const [shown, setShown] = useState('');
  const trail = useLive(() => get<{ items: TrailRecord[] }>('/audit/access-trail?limit=50'), []);
  const history = useLive(
    () =>
      shown
        ? get<{ entries: HistoryEntry[]; truncated: boolean }>(`/audit/history/${encodeURIComponent(shown)}`)
        : Promise.resolve(null),
    [shown],
  );
  return (
    <div>
      <Section title="Historikk" id="historikk">
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            setShown(id.trim());
          }}
        >
          <label>
            Id for person, søknad, tilbud, plass eller husstand
            <input value={id} onInput={(event) => setId(event.currentTarget.value)} size={40} required />
          </label>
          <button type="submit">Vis historikk</button>
        </form>
        {shown && history.data ? (
          <Table
            caption={`Hendelser for ${shown}${history.data.truncated ? ' (avkortet)' : ''}`}
            rows={history.data.entries}
            rowKey={(row) => row.position}
            columns={[
              { label: 'Skjedde', value: (row) => instant(row.occurredAt) },
              { label: 'Hendelse', value: (row) => row.type },
              { label: 'Utført av', value: (row) => `${row.actor.role} ${row.actor.id}` },
              { label: 'Kommando', value: (row) => row.command },
              { label: 'Begrunnelse', value: (row) => row.reason ?? '–' },
              { label: 'Via', value: (row) => row.via ?? '–' },
            ]}
          />
        ) : shown ? (
          <Loading error={history.error} />
        ) : null}
      </Section>
      <Section title="Tilgangslogg" id="tilgang">
        {trail.data ? (
          <Table
            caption="Siste 50 oppslag i personopplysninger og avviste kall"
            rows={trail.data.items}
            rowKey={(row) => row.id}
            columns={[
              { label: 'Tid', value: (row) => instant(row.at) },
              { label: 'Hvem', value: (row) => `${row.actorRole ?? '–'} ${row.actorId ?? ''}` },
              { label: 'Handling', value: (row) => row.action },
              { label: 'Gjelder', value: (row) => row.subjectRef ?? '–' },
              { label: 'Utfall', value: (row) => OUTCOMES[row.outcome] ?? row.outcome },
            ]}
          />
        ) : (
          <Loading error={trail.error} />
        )}
      </Section>
    </div>
  );
};
