import type { Pool } from '#libs/database';
import { parseStreamName } from '#libs/event-store';
import { AnchorFile } from '../anchoring/anchor-file.js';
import { checkAgainstAnchors, type AnchoredReport } from '../anchoring/anchored-check.js';
import type { AnchoringSettings } from '../anchoring/anchoring-settings.js';
import { anchorKeyId, loadAnchorPublicKey } from '../anchoring/signing-key.js';
import { StreamBelongsToAnotherTenant } from '../state/state-as-of.js';
import { asAuditStore } from '../store/audit-store-for.js';
import type { AuditStore, StoreChecks } from '../store/audit-store.js';

export interface IntegrityAnswer {
  scope: string;
  /**
   * What the store's own check is: PostgreSQL's hash chains kept in the database, or (EventStoreDB, which keeps no
   * hash per event) gapless revisions and stream heads. Changed content is found there only against the anchors.
   */
  storeChecks: StoreChecks;
  /** No break in the stream chains, none against the anchors, and nothing wrong with the anchors themselves. */
  intact: boolean;
  eventsChecked: number;
  streamsChecked: number;
  firstBreak: {
    /** Null for an anchored event that is no longer stored: its stream went with it. */
    streamName: string | null;
    revision: number | null;
    position: string;
    eventId: string | null;
    problem: string;
    /** Which check found it: the store's own (chains; revisions on EventStoreDB), or the signed anchors outside it. */
    check: 'stream chains' | 'anchors';
  } | null;
  anchoring: {
    /** `verified`: checked against the anchors; otherwise why not (and then only the stream chains were checked). */
    status: 'verified' | 'no anchor file' | 'no public key' | 'not configured';
    file: string | null;
    /** Where the public key came from, and its id (the `key` of every anchor it verifies). */
    publicKey: string | null;
    keyId: string | null;
    /** Checkpoints the database has sealed; the file may hold fewer (not yet published, or an older copy). */
    checkpointsInDatabase: number;
  } & Omit<AnchoredReport, 'firstBreak'>;
}

/** The auditor's evidence: the anchor file and public key given (CLI) or configured (API). */
export interface AnchorEvidence {
  settings: AnchoringSettings;
  /** `--anchors`: the auditor's own copy instead of the configured file. */
  file?: string;
  /** `--public-key`: the auditor's own copy of the public key. */
  publicKeyFile?: string;
}

const emptyAnchored: Omit<AnchoredReport, 'firstBreak'> = {
  checkpoints: 0,
  anchoredThrough: null,
  lastSealedAt: null,
  eventsAnchored: 0,
  eventsAfterLastAnchor: 0,
  eventsBeforeFirstAnchor: 0,
  problems: [],
  ignoredLines: [],
};

/**
 * The integrity check for an auditor: one stream of their tenant, or the whole store. Two checks, and the first
 * position either finds: the hash chains kept in the database (per stream), and the stored events against the signed
 * anchors kept outside it (store-wide, in position order), which a database administrator cannot recompute. A break
 * in another tenant's stream is reported (the store as a whole is not intact) without naming that tenant's stream or
 * event.
 */
export const verifyStore = async (
  store: AuditStore | Pool,
  tenant: string,
  stream?: string,
  evidence?: AnchorEvidence,
): Promise<IntegrityAnswer> => {
  if (stream !== undefined && parseStreamName(stream).tenant !== tenant) throw new StreamBelongsToAnotherTenant(stream);
  const source = asAuditStore(store);
  const report = await source.verifyStreams(stream === undefined ? {} : { streamName: stream });
  const inDatabase = await source.checkpoints();
  const file = evidence ? (evidence.file ?? evidence.settings.file) : undefined;
  const publicKey = evidence ? await loadAnchorPublicKey(evidence.settings.keys, evidence.publicKeyFile) : undefined;
  const lines = file ? await new AnchorFile(file).lines() : undefined;

  let anchoring: IntegrityAnswer['anchoring'] = {
    status: !evidence ? 'not configured' : !publicKey ? 'no public key' : 'no anchor file',
    file: file ?? null,
    publicKey: publicKey?.source ?? null,
    keyId: publicKey ? anchorKeyId(publicKey.key) : null,
    checkpointsInDatabase: inDatabase.sealed,
    ...emptyAnchored,
  };
  let anchoredBreak: AnchoredReport['firstBreak'];
  if (publicKey && lines) {
    const { firstBreak, ...anchored } = await checkAgainstAnchors(source, lines, publicKey.key, { streamName: stream });
    anchoredBreak = firstBreak;
    anchoring = { ...anchoring, status: 'verified', ...anchored };
  } else if (file && !lines && inDatabase.publishedToFile > 0) {
    anchoring.problems = [`${file} is missing: the database published ${inDatabase.publishedToFile} checkpoints to it`];
  }

  const chainBreak = report.firstBreak;
  // The first position either check finds; at the same position the chains' more specific problem.
  const found =
    chainBreak && (!anchoredBreak || chainBreak.position <= anchoredBreak.position)
      ? {
          streamName: chainBreak.streamName as string | null,
          revision: chainBreak.streamRevision as number | null,
          position: chainBreak.position,
          eventId: chainBreak.eventId as string | null,
          problem: chainBreak.problem as string,
          check: 'stream chains' as const,
        }
      : anchoredBreak
        ? {
            streamName: anchoredBreak.streamName,
            revision: anchoredBreak.streamRevision,
            position: anchoredBreak.position,
            eventId: anchoredBreak.eventId,
            problem: anchoredBreak.problem as string,
            check: 'anchors' as const,
          }
        : undefined;
  const ours = found?.streamName ? found.streamName.startsWith(`${tenant}.`) : true;
  return {
    scope: stream ?? 'whole store',
    storeChecks: source.checks,
    intact: found === undefined && anchoring.problems.length === 0,
    eventsChecked: report.eventsChecked,
    streamsChecked: report.streamsChecked,
    firstBreak: found
      ? {
          ...found,
          streamName: ours ? found.streamName : '(a stream of another tenant)',
          eventId: ours ? found.eventId : null,
          position: String(found.position),
        }
      : null,
    anchoring,
  };
};
