import { useState } from 'preact/hooks';
import { get, send, type Freshness } from '../api';
import { FreshnessNote, Loading, Section, Table } from '../components/ui';
import { date, deadline, instant, number } from '../format';
import { useLive } from '../live';
import type { OpenOffer, Page, QueueEntry } from './venteliste';

interface PendingWaiver {
  applicationId: string;
  householdId: string;
  schoolYear: string;
  appliedAt: string;
  ageDays: number;
}
interface UnbillablePlace {
  placeId: string;
  childId: string;
  /** Only for the roles allowed names (the API decides). */
  childName?: string;
  offeringId: string;
  schoolYear: string | null;
  reasons: string[];
  since: string;
}

interface UnansweredReregistration {
  placeId: string;
  studentId: string;
  childName?: string;
  subject: string | null;
  schoolYear: string;
  deadline: string;
  state: 'overdue' | 'continued-by-silence' | 'quit-by-silence' | 'awaiting';
  daysOverdue: number;
  /** The route that answers for the family. */
  answerAt: string;
}

const REREGISTRATION_STATES: Record<string, string> = {
  overdue: 'Fristen er ute',
  'continued-by-silence': 'Fortsetter (ikke svart)',
  'quit-by-silence': 'Slutter (ikke svart)',
  awaiting: 'Venter på svar',
};

const REASONS: Record<string, string> = {
  NoPayer: 'Ingen betaler',
  PayerErased: 'Betaler slettet',
  FeeMissing: 'Pris mangler',
};

const short = (id: string) => id.slice(0, 8);

/** The caseworkers' lists, each item with the action that clears it, sent from here. */
export const Arbeidslister = () => {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const live = useLive(async () => {
    const [offers, waivers, unbillable, queue, reregistrations] = await Promise.all([
      get<Page<OpenOffer>>('/waitlist/queue/offers?names=true&limit=100'),
      get<{ items: PendingWaiver[]; total: number }>('/funding/fee-waivers/pending?pageSize=100'),
      get<{ items: UnbillablePlace[]; freshness: Freshness }>(
        '/funding/worklists/unbillable-places?names=true&limit=100',
      ),
      get<Page<QueueEntry>>('/waitlist/queue?names=true&limit=500'),
      get<{ items: UnansweredReregistration[]; freshness: Freshness }>(
        '/enrolment/worklists/reregistrations?names=true&limit=100',
      ),
    ]);
    return {
      offers,
      waivers,
      unbillable,
      reregistrations,
      refused: queue.items.filter((entry) => entry.lastAdmissionRefusal),
    };
  }, [reload]);

  const act = async (label: string, action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      setMessage({ text: `${label}: registrert.`, error: false });
      setReload((n) => n + 1);
    } catch (error) {
      setMessage({ text: `${label}: ${(error as Error).message}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-live-version={live.version}>
      <p
        role="status"
        aria-live="polite"
        class={message?.error ? 'error' : 'ok'}
        data-action-result={message ? (message.error ? 'refused' : 'done') : ''}
      >
        {message?.text ?? ''}
      </p>
      {!live.data ? (
        <Loading error={live.error} />
      ) : (
        <>
          <Section title="Tilbud som venter på svar" id="svar">
            <Table
              caption={`${number(live.data.offers.total)} tilbud; svar på familiens vegne`}
              rows={live.data.offers.items}
              rowKey={(row) => row.offerId}
              columns={[
                { label: 'Barn', value: (row) => row.childName ?? '–' },
                { label: 'Fag', value: (row) => row.subject ?? '–' },
                { label: 'Svarfrist', value: (row) => deadline(row.deadline) },
                {
                  label: 'Handling',
                  value: (row) => (
                    <span class="actions">
                      <button
                        type="button"
                        disabled={busy}
                        data-action="accept-offer"
                        onClick={() =>
                          act(`Tilbudet til ${row.childName ?? 'barnet'} er takket ja til`, () =>
                            send('POST', `/waitlist/offerings/${row.offeringId}/offers/${row.offerId}/accept`),
                          )
                        }
                      >
                        Takk ja
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy}
                        data-action="decline-offer"
                        onClick={() =>
                          act(`Tilbudet til ${row.childName ?? 'barnet'} er takket nei til`, () =>
                            send('POST', `/waitlist/offerings/${row.offeringId}/offers/${row.offerId}/decline`),
                          )
                        }
                      >
                        Takk nei
                      </button>
                    </span>
                  ),
                },
              ]}
            />
          </Section>
          <Section title="Søknader om friplass å avgjøre" id="friplass">
            <Table
              caption={`${number(live.data.waivers.total)} ${live.data.waivers.total === 1 ? 'søknad' : 'søknader'}; avgjøres etter årets satser`}
              rows={live.data.waivers.items}
              rowKey={(row) => row.applicationId}
              columns={[
                { label: 'Husstand', value: (row) => <code>{short(row.householdId)}</code> },
                { label: 'Skoleår', value: (row) => row.schoolYear },
                { label: 'Søkt', value: (row) => date(row.appliedAt) },
                { label: 'Dager', value: (row) => number(row.ageDays), numeric: true },
                {
                  label: 'Handling',
                  value: (row) => (
                    <button
                      type="button"
                      disabled={busy}
                      data-action="decide-waiver"
                      onClick={() =>
                        act(`Søknad ${short(row.applicationId)} er avgjort`, () =>
                          send('POST', `/funding/fee-waivers/applications/${row.applicationId}/decision`, {}),
                        )
                      }
                    >
                      Avgjør etter satsene
                    </button>
                  ),
                },
              ]}
            />
          </Section>
          <Section title="Plasser som ikke kan faktureres" id="faktura">
            <Table
              caption="Plasser uten betaler eller pris"
              rows={live.data.unbillable.items}
              rowKey={(row) => row.placeId}
              columns={[
                { label: 'Barn', value: (row) => row.childName || <code>{short(row.childId)}</code> },
                { label: 'Skoleår', value: (row) => row.schoolYear ?? '–' },
                { label: 'Årsak', value: (row) => row.reasons.map((r) => REASONS[r] ?? r).join(', ') },
                { label: 'Siden', value: (row) => date(row.since) },
                {
                  label: 'Handling',
                  value: (row) =>
                    row.reasons.includes('NoPayer') || row.reasons.includes('PayerErased') ? (
                      <PayerForm
                        busy={busy}
                        childId={row.childId}
                        onSubmit={(payerNationalId) =>
                          act(`Betaler for ${row.childName || `barn ${short(row.childId)}`}`, () =>
                            send('PUT', `/funding/children/${row.childId}/payer`, { payerNationalId }),
                          )
                        }
                      />
                    ) : (
                      'Sett pris på tilbudet'
                    ),
                },
              ]}
            />
            <FreshnessNote freshness={live.data.unbillable.freshness} />
          </Section>
          <Section title="Avviste opptak" id="avvist">
            <Table
              caption="Barn som fikk et tilbud, men der innmeldingen ble avvist; de beholder plassen i køen"
              rows={live.data.refused}
              rowKey={(row) => row.applicationId}
              columns={[
                { label: 'Barn', value: (row) => row.childName ?? '–' },
                { label: 'Fag', value: (row) => row.subject ?? '–' },
                { label: 'Årsak', value: (row) => row.lastAdmissionRefusal?.message ?? '–' },
                { label: 'Når', value: (row) => instant(row.lastAdmissionRefusal?.at) },
              ]}
            />
          </Section>
          <Section title="Omregistreringer uten svar" id="omregistrering">
            <Table
              caption={`${number(live.data.reregistrations.items.length)} ${live.data.reregistrations.items.length === 1 ? 'plass' : 'plasser'} der familien ikke svarte innen fristen; registrer svaret på familiens vegne`}
              rows={live.data.reregistrations.items}
              rowKey={(row) => row.placeId}
              empty="Ingen omregistreringer uten svar."
              columns={[
                { label: 'Barn', value: (row) => row.childName || <code>{short(row.studentId)}</code> },
                { label: 'Fag', value: (row) => row.subject ?? '–' },
                { label: 'Frist', value: (row) => date(row.deadline) },
                { label: 'Status', value: (row) => REREGISTRATION_STATES[row.state] ?? row.state },
                { label: 'Dager over frist', value: (row) => number(row.daysOverdue), numeric: true },
                {
                  label: 'Handling',
                  value: (row) => {
                    const who = row.childName || `barn ${short(row.studentId)}`;
                    // Silence already answered: a quit stands; a continuation can still be turned into a quit.
                    if (row.state === 'quit-by-silence') return 'Plassen slutter 31. juli';
                    return (
                      <span class="actions">
                        {row.state === 'continued-by-silence' ? null : (
                          <button
                            type="button"
                            disabled={busy}
                            data-action="reregister-continue"
                            data-place={row.placeId}
                            onClick={() =>
                              act(`Plassen til ${who} fortsetter`, () => send('POST', row.answerAt, { continue: true }))
                            }
                          >
                            Fortsetter
                          </button>
                        )}
                        <button
                          type="button"
                          class="secondary"
                          disabled={busy}
                          data-action="reregister-quit"
                          data-place={row.placeId}
                          onClick={() =>
                            act(`Plassen til ${who} slutter 31. juli`, () =>
                              send('POST', row.answerAt, { continue: false }),
                            )
                          }
                        >
                          Slutter
                        </button>
                      </span>
                    );
                  },
                },
              ]}
            />
            <FreshnessNote freshness={live.data.reregistrations.freshness} />
          </Section>
        </>
      )}
    </div>
  );
};

const PayerForm = ({
  childId,
  busy,
  onSubmit,
}: {
  childId: string;
  busy: boolean;
  onSubmit: (payerNationalId: string) => void;
}) => {
  const [value, setValue] = useState('');
  const id = `payer-${childId}`;
  return (
    <form
      class="inline"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(value.trim());
      }}
    >
      <label for={id}>Betalers fødselsnummer</label>
      <input
        id={id}
        inputMode="numeric"
        autoComplete="off"
        pattern="\d{11}"
        maxLength={11}
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
        required
      />
      <button type="submit" disabled={busy} data-action="register-payer">
        Registrer betaler
      </button>
    </form>
  );
};
