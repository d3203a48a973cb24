// The one driver of the built extension in real Chromium, shared by the e2e tests, the
// benches and the demo: one file a job.
export * from './chromium';
export * from './fakes';
export * from './options';
export * from './pages';
export * from './paths';
export * from './requests';
export * from './selectors';
export * from './shadow-roots';
export * from './worker';
