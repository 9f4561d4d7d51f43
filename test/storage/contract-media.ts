/** Storage contract for MediaStore: local media ids, direct uploads and ids created for a later upload (spec §"Content repository"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MediaContent, MediaRecord } from '../../src/storage/index.js';
import type { ContractContext } from './contract-context.js';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;

export function mediaContract(ctx: ContractContext): void {
  const content = (over: Partial<MediaContent> = {}): MediaContent => ({
    contentType: 'image/png', uploadName: 'cat.png', size: 1234, sha256: 'ab'.repeat(32), uploadedTs: T0, ...over,
  });
  const uploaded = (over: Partial<MediaRecord> = {}): MediaRecord => ({
    mediaId: ctx.unique('M'), userId: `@${ctx.unique('u')}:hearth.test`, createdTs: T0, expiresTs: null, content: content(), ...over,
  });
  const pending = (userId: string, createdTs = T0): MediaRecord => ({
    mediaId: ctx.unique('P'), userId, createdTs, expiresTs: createdTs + DAY, content: null,
  });

  describe('MediaStore (spec §"Content repository")', () => {
    it('add stores a direct upload that get reads back exactly; an unknown id is undefined', async () => {
      const m = uploaded({ content: content({ uploadName: 'Ünïcode name.pdf', contentType: 'application/pdf', size: 5_000_000_000 }) });
      assert.equal(await ctx.store.media.add(m), true);
      assert.deepEqual(await ctx.store.media.get(m.mediaId), m);
      assert.equal(await ctx.store.media.get(ctx.unique('none')), undefined);
    });

    it('add keeps a null upload name and refuses a taken id without changing it', async () => {
      const m = uploaded({ content: content({ uploadName: null }) });
      assert.equal(await ctx.store.media.add(m), true);
      assert.equal(await ctx.store.media.add({ ...m, userId: '@other:hearth.test', content: content({ size: 1 }) }), false);
      assert.deepEqual(await ctx.store.media.get(m.mediaId), m);
    });

    it('POST /create: a pending id has no content until completeUpload, which works only once', async () => {
      const p = pending(`@${ctx.unique('u')}:hearth.test`);
      assert.equal(await ctx.store.media.add(p), true);
      assert.deepEqual(await ctx.store.media.get(p.mediaId), p);
      const c = content({ uploadedTs: T0 + 5 });
      assert.equal(await ctx.store.media.completeUpload(p.mediaId, c), true);
      assert.deepEqual(await ctx.store.media.get(p.mediaId), { ...p, content: c });
      // M_CANNOT_OVERWRITE_MEDIA: a second upload to the same id changes nothing.
      assert.equal(await ctx.store.media.completeUpload(p.mediaId, content({ size: 1 })), false);
      assert.deepEqual((await ctx.store.media.get(p.mediaId))?.content, c);
      assert.equal(await ctx.store.media.completeUpload(ctx.unique('none'), c), false);
    });

    it('countPending counts only the user\'s unexpired ids without content', async () => {
      const user = `@${ctx.unique('u')}:hearth.test`;
      const a = pending(user, T0);
      const b = pending(user, T0 + 10 * DAY);
      const done = pending(user, T0 + 10 * DAY);
      for (const m of [a, b, done, pending(`@${ctx.unique('u')}:hearth.test`, T0 + 10 * DAY)]) await ctx.store.media.add(m);
      await ctx.store.media.completeUpload(done.mediaId, content());
      assert.equal(await ctx.store.media.countPending(user, T0 + 1), 2);
      // a expires at T0 + DAY: from then on it no longer counts.
      assert.equal(await ctx.store.media.countPending(user, T0 + DAY), 1);
      assert.equal(await ctx.store.media.countPending(`@${ctx.unique('u')}:hearth.test`, T0), 0);
    });

    it('deleteExpiredPending forgets expired ids without content and keeps everything else', async () => {
      const user = `@${ctx.unique('u')}:hearth.test`;
      const old = pending(user, T0 - 100 * DAY);
      const fresh = pending(user, T0);
      const oldButUploaded = pending(user, T0 - 100 * DAY);
      const direct = uploaded({ createdTs: T0 - 100 * DAY });
      for (const m of [old, fresh, oldButUploaded, direct]) await ctx.store.media.add(m);
      await ctx.store.media.completeUpload(oldButUploaded.mediaId, content());
      assert.ok(await ctx.store.media.deleteExpiredPending(T0 - 50 * DAY) >= 1);
      assert.equal(await ctx.store.media.get(old.mediaId), undefined);
      assert.ok(await ctx.store.media.get(fresh.mediaId));
      assert.ok((await ctx.store.media.get(oldButUploaded.mediaId))?.content);
      assert.ok(await ctx.store.media.get(direct.mediaId));
      assert.equal(await ctx.store.media.deleteExpiredPending(T0 - 50 * DAY), 0);
    });
  });
}
