/**
 * A small LRU map bounded by total weight (entries count 1 each unless a weight function says otherwise), so caches
 * stay bounded on a Pi. A hit moves its entry to the young end only when it is not already among the newest quarter:
 * the hot entries of a busy room (create, power levels, members) are read for every event, and re-inserting them
 * each time would churn the map for nothing.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { v: V; t: number }>();
  private total = 0;
  private tick = 0;

  constructor(private readonly max: number, private readonly weigh: (value: V) => number = () => 1) {}

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (this.tick - e.t > this.map.size >> 2) {
      this.map.delete(key);
      this.map.set(key, e);
      e.t = ++this.tick;
    }
    return e.v;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const w = this.weigh(value);
    if (w > this.max) return; // too big to cache at all
    this.map.set(key, { v: value, t: ++this.tick });
    this.total += w;
    while (this.total > this.max) {
      const oldest = this.map.keys().next().value as K;
      this.delete(oldest);
    }
  }

  delete(key: K): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    this.map.delete(key);
    this.total -= this.weigh(e.v);
  }
}
