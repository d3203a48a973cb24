/**
 * Sending: the outbox (exactly-once sends that survive the worker), the
 * guards before the wire, the two routes, and what the page and the log show.
 */
export { highLevelChannel, type SendChannel, twilioChannel } from './channels';
export { bodyRefusal, mediaRefusal, type Readiness, readiness } from './guards';
export { Outbox, type OutboxTiming } from './outbox';
export { type Display, sendLogCsv, sendLogEntry, sendView } from './views';
