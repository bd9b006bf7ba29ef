import path from 'node:path';
import type { AppConfig } from '#libs/platform';
import type { AnchorKeySettings } from './signing-key.js';

/** Where anchors are kept and published, and the keys: from AppConfig (docs/audit.md, Integrity). */
export interface AnchoringSettings {
  /** The auditor's append-only file of anchors (AUDIT_ANCHOR_FILE, default DATA_DIR/audit-anchors.jsonl). */
  file: string;
  keys: AnchorKeySettings;
  /** Seconds between the host's seals; 0: the host does not seal (`npm run audit -- seal` does). */
  intervalSeconds: number;
  /** The Kafka brokers, when configured: the anchors are published to a topic too. */
  brokers?: string[];
}

export const anchoringSettings = (config: AppConfig): AnchoringSettings => ({
  file: path.resolve(config.AUDIT_ANCHOR_FILE ?? path.join(config.DATA_DIR, 'audit-anchors.jsonl')),
  keys: {
    signingKey: config.AUDIT_SIGNING_KEY,
    signingKeyFile: config.AUDIT_SIGNING_KEY_FILE,
    publicKeyFile: config.AUDIT_PUBLIC_KEY_FILE,
    dataDir: config.DATA_DIR,
    production: config.NODE_ENV === 'production',
  },
  intervalSeconds: config.AUDIT_ANCHOR_INTERVAL_SECONDS,
  brokers: config.KAFKA_BROKERS?.split(','),
});
