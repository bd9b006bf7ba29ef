import type { Migration, Pool, PoolClient } from '#libs/database';

export const checkpointMigrations: Migration[] = [
  {
    id: 'platform/0003-subscription-checkpoints',
    sql: `
      CREATE TABLE subscription_checkpoints (
        name text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];

/** Where a named subscriber (process manager, relay, projection) has got to in `$all`. */
export class CheckpointStore {
  constructor(private readonly pool: Pool) {}

  async load(name: string): Promise<bigint | undefined> {
    const { rows } = await this.pool.query<{ position: string }>(
      'SELECT position FROM subscription_checkpoints WHERE name = $1',
      [name],
    );
    return rows[0] ? BigInt(rows[0].position) : undefined;
  }

  /**
   * A checkpoint for `name` where it has none: the lowest of `family`'s (named `family`, or `family:shard:…` for
   * each shard of a split), so a subscriber split anew starts each shard where every earlier split had got to (at least once).
   */
  async seed(name: string, family: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO subscription_checkpoints (name, position)
       SELECT $1, min(position) FROM subscription_checkpoints WHERE name = $2 OR starts_with(name, $2 || ':shard:')
       HAVING min(position) IS NOT NULL
       ON CONFLICT (name) DO NOTHING`,
      [name, family],
    );
  }

  /** Never moves backwards, so a slow duplicate worker cannot rewind a faster one. */
  async save(name: string, position: bigint, client: Pool | PoolClient = this.pool): Promise<void> {
    await client.query(
      `INSERT INTO subscription_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = GREATEST(subscription_checkpoints.position, EXCLUDED.position),
                                        updated_at = now()`,
      [name, String(position)],
    );
  }
}
