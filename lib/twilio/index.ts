/** The Twilio REST client and its types; see ./client. */
export {
  apiKeyRefusedFor,
  type CredentialCheck,
  TWILIO_BASE_URL,
  TwilioClient,
  type TwilioClientOptions,
} from './client';
export {
  explainTwilioCode,
  knownTwilioCodes,
  SUBACCOUNT_KEY_REFUSAL,
  SubaccountKeyError,
  type TwilioCodeInfo,
} from './errors';
export { parseRfc2822 } from './parse';
export * from './types';
