import { OrderedMap } from 'immutable';

/**
 * A read-only Map whose `set` and `delete` return a new map that shares all but a path of its structure with this
 * one (immutable's OrderedMap, a hash array mapped trie): O(log n) per change instead of copying every entry. For
 * states that `evolve` never changes in place yet changes one key of per event, such as a long waitlist's entries.
 * Iterates in insertion order, as a Map does, so anything reading it sees what a Map would show.
 */
export class PersistentMap<K, V> implements ReadonlyMap<K, V> {
  // Private, so that two maps built by different histories are never compared by their tries' shapes.
  readonly #map: OrderedMap<K, V>;

  private constructor(map: OrderedMap<K, V>) {
    this.#map = map;
  }

  static of<K, V>(entries: Iterable<readonly [K, V]> = []): PersistentMap<K, V> {
    return new PersistentMap(OrderedMap<K, V>(entries as Iterable<[K, V]>));
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** A map with `key` set to `value`; a key already there keeps its place in the order. */
  set(key: K, value: V): PersistentMap<K, V> {
    return new PersistentMap(this.#map.set(key, value));
  }

  /** A map without `key`; this one when it has no such key. */
  delete(key: K): PersistentMap<K, V> {
    return this.#map.has(key) ? new PersistentMap(this.#map.delete(key)) : this;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    // Not the trie's forEach: that one stops at a callback returning false, a Map's never does.
    for (const [key, value] of this.#map) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[K, V]> {
    return this.#map.entries() as MapIterator<[K, V]>;
  }

  keys(): MapIterator<K> {
    return this.#map.keys() as MapIterator<K>;
  }

  values(): MapIterator<V> {
    return this.#map.values() as MapIterator<V>;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'PersistentMap';
  }
}
