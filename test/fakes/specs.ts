import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The folder holding the official specs. SENDER_LENS_SPECS wins; otherwise the
 * shared folder that sits next to the repo (../shared/specs), as on this
 * machine and in CI's fresh clone.
 */
export function specsDir(): string {
  const dir = process.env.SENDER_LENS_SPECS ?? path.resolve(repoRoot, '../shared/specs');
  if (!existsSync(path.join(dir, 'twilio', 'twilio_api_v2010.json'))) {
    throw new Error(
      `Official API specs not found in ${dir}: set SENDER_LENS_SPECS or put shared/specs next to the repo`,
    );
  }
  return dir;
}

/** Path of Twilio's 2010-04-01 REST API spec. */
export function twilioSpecPath(): string {
  return path.join(specsDir(), 'twilio', 'twilio_api_v2010.json');
}

/** The HighLevel API v2 spec files the extension talks to. */
export const highLevelApps = ['phone-system', 'users', 'contacts', 'conversations', 'locations'];

/** Path of one HighLevel app spec, loaded in place so its ../common refs resolve. */
export function highLevelSpecPath(app: string): string {
  return path.join(specsDir(), 'highlevel', 'apps', `${app}.json`);
}
