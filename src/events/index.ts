/** The public surface `hearth/events`: the event graph as pure functions, re-exported from each module. */
export * from './types.js';
export * from './room-versions.js';
export * from './state-map.js';
export * from './base64.js';
export * from './canonical-json.js';
export * from './signing.js';
export * from './hashes.js';
export * from './redaction.js';
export * from './event-id.js';
export * from './event-signing.js';
export * from './pdu-validate.js';

// ---- Other modules of src/events (auth rules, state resolution) add their re-exports below this line. ----
// Keep every line added here; each module owns its own line.
export * from './state-res.js';
export * from './auth-rules.js';
export * from './auth-power-levels.js';
