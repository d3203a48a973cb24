/**
 * The `Secret` wrapper and the masks shown on the options page. Pure: no
 * storage, safe to import anywhere (a Secret reaching the wrong place still
 * shows nothing).
 */

// Kept outside the object so no serialiser, debugger preview or structured
// clone (runtime messaging, postMessage) can reach the value through it.
const hidden = new WeakMap<Secret, string>();

const SHOWN = '[secret]';

/**
 * A credential that prints, serialises and clones as `[secret]`. Only
 * `reveal()` gives the value: call it where a REST client is constructed
 * (it builds the Authorization header), nowhere else.
 */
export class Secret {
  constructor(value: string) {
    if (typeof value !== 'string' || value.length === 0) {
      throw new TypeError('A secret must be a non-empty string');
    }
    hidden.set(this, value);
    Object.freeze(this);
  }

  /** The value itself: for building an Authorization header, nothing else. */
  reveal(): string {
    const value = hidden.get(this);
    if (value === undefined) throw new TypeError('Not a Secret created by new Secret()');
    return value;
  }

  /** The masked form for display, e.g. `••••1234`. */
  hint(): string {
    return maskSecret(this.reveal());
  }

  toString(): string {
    return SHOWN;
  }

  toJSON(): string {
    return SHOWN;
  }

  [Symbol.toPrimitive](): string {
    return SHOWN;
  }

  // Node's util.inspect and console.log in tests and scripts.
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return SHOWN;
  }
}

/** `••••` and the last four characters; only dots for values too short to hide the rest. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : '••••';
}

/** A Twilio SID shortened to its prefix and last four characters, e.g. `AC…4f2a`. */
export function maskSid(sid: string): string {
  return sid.length > 6 ? `${sid.slice(0, 2)}…${sid.slice(-4)}` : '…';
}

/** Twilio credentials: an Account SID with its Auth Token, or an API key SID and secret. */
export type TwilioCredentials =
  | { kind: 'auth-token'; accountSid: string; authToken: Secret }
  | { kind: 'api-key'; accountSid: string; apiKeySid: string; apiKeySecret: Secret };

/** Twilio credentials with the secret in plain text: the shape lib/twilio's client takes. */
export type PlainTwilioCredentials =
  | { kind: 'auth-token'; accountSid: string; authToken: string }
  | { kind: 'api-key'; accountSid: string; apiKeySid: string; apiKeySecret: string };

/**
 * The credentials unwrapped, for the one call that constructs the Twilio
 * client (which builds the Authorization header and keeps it private). Never
 * store, log or send the result.
 */
export function revealTwilioCredentials(credentials: TwilioCredentials): PlainTwilioCredentials {
  return credentials.kind === 'auth-token'
    ? {
        kind: 'auth-token',
        accountSid: credentials.accountSid,
        authToken: credentials.authToken.reveal(),
      }
    : {
        kind: 'api-key',
        accountSid: credentials.accountSid,
        apiKeySid: credentials.apiKeySid,
        apiKeySecret: credentials.apiKeySecret.reveal(),
      };
}
