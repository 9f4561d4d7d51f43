/** A small LRU map bounded by total weight (entries count 1 each unless a weight function says otherwise), so caches stay bounded on a Pi. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  private total = 0;

  constructor(private readonly max: number, private readonly weigh: (value: V) => number = () => 1) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const w = this.weigh(value);
    if (w > this.max) return; // too big to cache at all
    this.map.set(key, value);
    this.total += w;
    while (this.total > this.max) {
      const oldest = this.map.keys().next().value as K;
      this.delete(oldest);
    }
  }

  delete(key: K): void {
    const v = this.map.get(key);
    if (v === undefined) return;
    this.map.delete(key);
    this.total -= this.weigh(v);
  }
}
