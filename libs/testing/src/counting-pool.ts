import type pg from 'pg';

/**
 * The pool, with every statement sent through it recorded in `sent` (its name when named, else its text): a test
 * that several requests went as one statement counts them here.
 */
export const countingPool = (pool: pg.Pool, sent: string[]): pg.Pool =>
  Object.assign(Object.create(pool) as object, {
    query: (config: unknown, values?: unknown) => {
      const statement = config as string | { name?: string; text: string };
      sent.push(typeof statement === 'string' ? statement : (statement.name ?? statement.text));
      return (pool.query as (c: unknown, v?: unknown) => Promise<unknown>).call(pool, config, values);
    },
  }) as pg.Pool;
