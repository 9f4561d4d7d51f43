/** Cross-signing (spec §"Cross-signing"): POST /keys/device_signing/upload (UIA when replacing keys) and POST /keys/signatures/upload. */
import { clientRoute, type Route } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import { PASSWORD, passwordStage } from '../accounts/uia-stages.js';
import { checkCrossSigningUpload, checkSignatureUpload, replacesKeys, uploadedCrossSigningKeys } from '../e2e/cross-signing.js';
import type { CrossSigningKeyType } from '../storage/e2e-types.js';

/** The unstable prefix is what matrix-js-sdk's legacy `uploadDeviceSigningKeys` calls. */
const VERSIONS = ['v3', 'r0', 'unstable'] as const;

export function crossSigningRoutes(s: Services): Route[] {
  const stages = { [PASSWORD]: passwordStage(s.accounts) };
  const flows = [{ stages: [PASSWORD] }];

  return [
    /**
     * POST /_matrix/client/v3/keys/device_signing/upload. As Synapse (and spec v1.11): no UIA for the
     * first keys or for re-sending the stored ones; replacing a stored key needs m.login.password.
     */
    ...clientRoute('POST', '/keys/device_signing/upload', 'user', async (ctx) => {
      const userId = ctx.principal!.userId;
      const body = jsonObject(ctx.body);
      const stored = await s.store.e2eKeys.getCrossSigningKeys(userId);
      let uploaded = uploadedCrossSigningKeys(body);
      if (!replacesKeys(uploaded, stored) && body.auth === undefined) return {};
      if (stored.master !== undefined) {
        const session = await s.uia.authenticate({ operation: 'POST /keys/device_signing/upload', userId, body, flows, stages });
        s.uia.finish(session);
        // A client may send the keys only with its first request of the exchange.
        if (Object.keys(uploaded).length === 0) uploaded = uploadedCrossSigningKeys(session.clientDict);
      }
      const devices = new Set((await s.store.devices.listDevices(userId)).map((d) => d.deviceId));
      const checked = checkCrossSigningUpload(userId, uploaded, stored.master, devices);
      for (const [type, key] of Object.entries(checked)) await s.store.e2eKeys.setCrossSigningKey(userId, type as CrossSigningKeyType, key);
      // Master and self-signing keys concern everyone sharing a room; the user-signing key only its owner.
      if (checked.master || checked.self_signing) await s.e2e.keysChanged(userId);
      if (checked.user_signing) await s.e2e.changedFor(userId, [userId]);
      return {};
    }, VERSIONS),

    /** POST /_matrix/client/v3/keys/signatures/upload */
    ...clientRoute('POST', '/keys/signatures/upload', 'user', async (ctx) => {
      const userId = ctx.principal!.userId;
      const outcome = await checkSignatureUpload(s.store, userId, jsonObject(ctx.body));
      await s.store.e2eKeys.addSignatures(outcome.signatures);
      if (outcome.selfSigned) await s.e2e.keysChanged(userId);
      await s.e2e.changedFor(userId, [...new Set(outcome.signedUsers)]);
      return { failures: outcome.failures };
    }, VERSIONS),
  ];
}
