/** Test support: polling until a value turns up, for effects that arrive asynchronously (readings, replies). */

/** Calls `fn` every 50 ms until it yields a value; rejects with `timed out waiting for <what>` after `ms`. */
export async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
