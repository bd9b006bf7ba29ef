/**
 * The keys a build has written so far, as a Bloom filter: a key it has never written is certainly a new row, which the
 * build can insert without PostgreSQL's check for a conflict (an upsert costs it half again as much CPU as an insert,
 * and two and a half times what a COPY costs). The filter is only as true as its history: it must have seen every batch
 * committed to the set since the set was empty (catch-up.ts keeps it only while that holds). A false "may have" costs
 * only the upsert every row paid before; a false "new" cannot happen while the history holds, and if it ever did, the
 * key's unique violation sends the batch down the careful path (batch.ts), which upserts.
 *
 * A fixed array of bits, not a set of the keys: a rebuild of ten million rows would otherwise keep ten million strings
 * alive for the garbage collector to walk.
 */
export class WrittenKeys {
  /** 8 MiB. With three probes: about one new key in 10,000 taken for old at one million keys, one in 20 at ten million. */
  private static readonly BITS = 2 ** 26;
  /** Made at the first key, so a catch-up that finds itself at the head at once allocates nothing. */
  private bits: Uint32Array | undefined;
  private distrusted = false;

  /**
   * Records that the build writes this key, and says whether it may have written it before: false means certainly
   * not, so the row is new. (One call for both: the key is hashed once.)
   */
  writes(table: string, id: string): boolean {
    if (this.distrusted) return true;
    const bits = (this.bits ??= new Uint32Array(WrittenKeys.BITS / 32));
    hash(table, id);
    let seen = true;
    for (let probe = 0; probe < PROBES; probe++) {
      const bit = (first + Math.imul(probe, second)) & (WrittenKeys.BITS - 1);
      const word = bit >>> 5;
      const mask = 1 << (bit & 31);
      const current = bits[word] ?? 0;
      if ((current & mask) === 0) {
        seen = false;
        bits[word] = current | mask;
      }
    }
    return seen;
  }

  /** Once something the filter did not see may have written rows (a stale or refused batch): every key may be old. */
  distrust(): void {
    this.distrusted = true;
    this.bits = undefined;
  }

  get trusted(): boolean {
    return !this.distrusted;
  }
}

const PROBES = 3;

// The two hashes of the last key (double hashing: probe i is first + i × second), kept in module scope so that a
// probe allocates nothing; this runs for every row a rebuild writes.
let first = 0;
let second = 0;

/** Two 32-bit FNV-1a hashes with different primes, each finished with MurmurHash3's mix so that every bit counts. */
const hash = (table: string, id: string): void => {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < table.length; i++) {
    const c = table.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  // Between the table's name and the key, so that "ab" + "c" is not "a" + "bc".
  a = Math.imul(a ^ 0xff, 0x01000193);
  b = Math.imul(b ^ 0xff, 0x5bd1e995);
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  first = mix(a);
  second = mix(b) | 1;
};

const mix = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};
