/** Benchmark: push rule evaluation per event and user over the server-default rules (message, notice, mention); prints medians of 5 runs. */
import { pathToFileURL } from 'node:url';
import { defaultPushRules } from '../src/push/default-rules.js';
import { evaluatePushRules, type PushContext, type PushEvent } from '../src/push/evaluate.js';
import { createGlobCache } from '../src/push/glob.js';
import { median } from './support.js';

const ME = '@alice:bench.example';
const base = { sender: '@bob:bench.example', room_id: '!room:bench.example' };
const EVENTS: Record<string, PushEvent> = {
  'plain message': { ...base, type: 'm.room.message', content: { msgtype: 'm.text', body: 'hello there, how are you doing today?' } },
  'device notice': { ...base, type: 'm.room.message', content: { msgtype: 'm.notice', body: 'Kitchen: 21.5 °C' } },
  'm.mentions mention': { ...base, type: 'm.room.message', content: { msgtype: 'm.text', body: 'Alice?', 'm.mentions': { user_ids: [ME] } } },
};

/** Microseconds per evaluation for each event kind, with and without a compiled-pattern cache. */
export async function main(): Promise<void> {
  const rules = defaultPushRules(ME);
  for (const cached of [true, false]) {
    const ctx: PushContext = { userId: ME, displayName: 'Alice', roomMemberCount: 5, powerLevels: null, senderPowerLevel: 0, globCache: cached ? createGlobCache() : undefined };
    for (const [name, event] of Object.entries(EVENTS)) {
      const runs: number[] = [];
      for (let run = 0; run < 5; run++) {
        const n = 20_000;
        const t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) evaluatePushRules(rules, event, ctx);
        runs.push(Number(process.hrtime.bigint() - t) / n / 1000);
      }
      console.log(`${name}${cached ? '' : ' (no cache)'}: ${median(runs).toFixed(1)} µs per evaluation (median of 5 × 20,000)`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
