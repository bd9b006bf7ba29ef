import { createHash } from 'node:crypto';

/**
 * A weak validator: the same read-model position and the same question give the same answer. Weak because the bytes
 * may differ (key order, CSV or JSON) while the meaning is the same for that representation.
 */
export const weakEtag = (parts: readonly string[]): string =>
  `W/"${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32)}"`;

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2): `*` or any listed tag equal to ours ignoring `W/`. */
export const ifNoneMatchHits = (header: string | readonly string[] | undefined, etag: string): boolean => {
  if (header === undefined) return false;
  const tags = (typeof header === 'string' ? [header] : header).flatMap((value) => value.split(','));
  return tags.some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
};

/** The query string in a canonical order, so `?a=1&b=2` and `?b=2&a=1` share a validator. */
export const canonicalQuery = (url: string): string => {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  return [...params.entries()]
    .sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)))
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
};
