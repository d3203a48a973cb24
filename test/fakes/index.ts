export {
  type BulkHistory,
  type BulkHistoryOptions,
  type BulkMessage,
  generateBulkHistory,
} from './bulk.ts';
export type { Violation } from './contract.ts';
export type { Faults, MalformedKind, RecordedRequest } from './core.ts';
export { expectNoViolations } from './expect.ts';
export {
  type CreateFakeHighLevelOptions,
  createFakeHighLevel,
  type FakeHighLevel,
} from './highlevel.ts';
export { type SeededSubAccount, seedBelievableSubAccount } from './seed.ts';
export { type ServedFakes, serveFakes } from './serve.ts';
export { specsDir } from './specs.ts';
export {
  type CreateFakeTwilioOptions,
  createFakeTwilio,
  type FakeTwilio,
  type FakeTwilioAccount,
} from './twilio.ts';
