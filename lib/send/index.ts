/**
 * Sending: the outbox (exactly-once sends that survive the worker), the
 * guards before the wire, the two routes, and what the page and the log show.
 */
export { highLevelChannel, type SendChannel, twilioChannel } from './channels';
export { bodyRefusal, mediaRefusal, type Readiness, readiness } from './guards';
export { DEFAULT_TIMING, Outbox, type OutboxDeps, type OutboxTiming } from './outbox';
export { explainCode, FINAL_STATES, stateOfProviderStatus } from './status';
export { type Display, sendLogCsv, sendLogEntry, sendView } from './views';
