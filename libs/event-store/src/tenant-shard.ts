import { createHash } from 'node:crypto';

/**
 * The shard of `count` a tenant's streams belong to: the first 32 bits of the MD5 of its id, modulo `count`. MD5
 * here spreads names, it protects nothing; it is chosen because PostgreSQL computes it too, so the store filters by
 * shard on the server (tenantShardSql) and every process, release and machine agrees where a tenant belongs.
 */
export const tenantShardOf = (tenant: string, count: number): number =>
  Number.parseInt(createHash('md5').update(tenant).digest('hex').slice(0, 8), 16) % count;

/** The same, in SQL, of a stream name column (`<tenant>.…`); `count` and `index` are placeholders or literals. */
export const tenantShardSql = (streamName: string, count: string): string =>
  `('x' || left(md5(split_part(${streamName}, '.', 1)), 8))::bit(32)::bigint % ${count}`;
