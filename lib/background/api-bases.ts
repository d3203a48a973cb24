import { HIGHLEVEL_BASE_URL } from '../highlevel';
import { isTestMode } from '../hosts';
import { TWILIO_BASE_URL } from '../twilio';
import type { ApiBases } from './services';

/** Where test and demo builds read the fakes' addresses (set by the harness). */
export const TEST_API_BASES_KEY = 'sender-lens:test-api-bases';

const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d{1,5}(\/[\w./-]*)?$/;

/**
 * The API hosts for this build. Production always uses the real hosts; only
 * e2e and demo builds may be pointed at fakes on 127.0.0.1, and only there.
 */
export async function resolveApiBases(
  mode: string | undefined,
  readTestBases: () => Promise<unknown>,
): Promise<ApiBases> {
  const real: ApiBases = { twilio: TWILIO_BASE_URL, highlevel: HIGHLEVEL_BASE_URL };
  if (!isTestMode(mode)) return real;
  const stored = await readTestBases();
  if (typeof stored !== 'object' || stored === null) return real;
  const { twilio, highlevel } = stored as Record<string, unknown>;
  return {
    twilio: typeof twilio === 'string' && LOOPBACK.test(twilio) ? twilio : real.twilio,
    highlevel:
      typeof highlevel === 'string' && LOOPBACK.test(highlevel) ? highlevel : real.highlevel,
  };
}
