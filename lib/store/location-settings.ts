/**
 * A sub-account's own settings (name, country, sync selection, Twilio
 * account): checked before the transaction opens, then laid onto its row,
 * saying what changed for the audit log.
 */
import type { LocationSettings } from './api';
import type { LocationRow } from './schema';
import { checkAccountSid, checkCountry, StoreInputError } from './validate';

/** Settings checked and normalised; undefined leaves a setting as it is. */
export interface CheckedSettings {
  name?: string;
  country?: string;
  selectedForSync?: boolean;
  /** null: back to the main account. */
  twilioAccountSid?: string | null;
  lcPhone?: boolean;
}

/** Refuses settings of the wrong shape, naming the field. */
export function checkLocationSettings(settings: LocationSettings): CheckedSettings {
  const out: CheckedSettings = {};
  if (settings.country !== undefined) out.country = checkCountry(settings.country, 'country');
  if (settings.name !== undefined) {
    if (typeof settings.name !== 'string') throw new StoreInputError('name', 'expected a string');
    out.name = settings.name;
  }
  if (settings.selectedForSync !== undefined) {
    if (typeof settings.selectedForSync !== 'boolean') {
      throw new StoreInputError('selectedForSync', 'expected true or false');
    }
    out.selectedForSync = settings.selectedForSync;
  }
  if (settings.lcPhone !== undefined) {
    if (typeof settings.lcPhone !== 'boolean') {
      throw new StoreInputError('lcPhone', 'expected true or false');
    }
    out.lcPhone = settings.lcPhone;
  }
  if (settings.twilioAccountSid !== undefined) {
    out.twilioAccountSid = checkAccountSid(settings.twilioAccountSid, 'twilioAccountSid');
  }
  return out;
}

/** Lays the settings onto the row; returns what changed, in words. */
export function applyLocationSettings(row: LocationRow, settings: CheckedSettings): string[] {
  const changes: string[] = [];
  if (settings.name !== undefined && settings.name !== row.name) {
    row.name = settings.name;
    changes.push('name');
  }
  if (settings.country !== undefined && settings.country !== row.country) {
    // Not a data change: snapshots take the country from this row when read.
    row.country = settings.country;
    changes.push(`country ${settings.country}`);
  }
  if (settings.selectedForSync !== undefined && settings.selectedForSync !== row.selectedForSync) {
    row.selectedForSync = settings.selectedForSync;
    changes.push(settings.selectedForSync ? 'selected for sync' : 'not selected for sync');
  }
  const account = settings.twilioAccountSid;
  if (account !== undefined && account !== (row.twilioAccountSid ?? null)) {
    if (account === null) delete row.twilioAccountSid;
    else row.twilioAccountSid = account;
    // Synced data of the old account must not be topped up from the new one.
    if (row.activeGeneration !== null) row.fullSyncDue = true;
    changes.push(`Twilio account ${account ?? 'the main account'}`);
  }
  if (settings.lcPhone !== undefined && settings.lcPhone !== (row.lcPhone === true)) {
    if (settings.lcPhone) row.lcPhone = true;
    else delete row.lcPhone;
    // History read from Twilio, or without it, must not be topped up from the other.
    if (row.activeGeneration !== null) row.fullSyncDue = true;
    changes.push(settings.lcPhone ? 'phone system LC Phone' : 'phone system Twilio');
  }
  return changes;
}
