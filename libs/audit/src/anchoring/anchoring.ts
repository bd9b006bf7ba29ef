import type { Pool } from '#libs/database';
import type { AuditStore } from '../store/audit-store.js';
import { AnchorFile } from './anchor-file.js';
import { AnchorTopic } from './anchor-topic.js';
import type { AnchoringSettings } from './anchoring-settings.js';
import { fileTarget, Sealer, type AnchorTarget } from './sealer.js';
import { loadAnchorSigningKey } from './signing-key.js';

export interface OpenSealer {
  sealer: Sealer;
  keyId: string;
  file: string;
  topic?: string;
  close(): Promise<void>;
}

/** A sealer with the configured key, publishing to the anchor file and, with a broker, to the anchors' topic. */
export const openSealer = async (
  pool: Pool,
  settings: AnchoringSettings,
  options: { maxEventsPerCheckpoint?: number; source?: AuditStore } = {},
): Promise<OpenSealer> => {
  const key = await loadAnchorSigningKey(settings.keys);
  const topic = settings.brokers ? new AnchorTopic(settings.brokers) : undefined;
  const targets: AnchorTarget[] = [fileTarget(new AnchorFile(settings.file))];
  if (topic) targets.push({ name: `kafka:${topic.topic}`, publish: (lines) => topic.publish(lines) });
  return {
    sealer: new Sealer(pool, key, targets, options),
    keyId: key.keyId,
    file: settings.file,
    topic: topic?.topic,
    close: async () => topic?.close(),
  };
};
