import { useState } from 'preact/hooks';
import type { PayloadOf, Requests, ResponseOf } from '../../lib/messaging/protocol';
import {
  type ImportResult,
  RESET_CONFIRMATION,
  type SettingsDocument,
} from '../../lib/messaging/requests/backup';

type BackupRequestType = 'settings-export' | 'settings-import' | 'settings-reset';

/** How the section reaches the background: the page's own `send`, rejecting with a showable Error. */
export interface BackupApi {
  send<K extends BackupRequestType>(
    type: K,
    payload: PayloadOf<Requests[K]>,
  ): Promise<ResponseOf<Requests[K]>>;
}

export interface BackupSectionProps {
  api: BackupApi;
  /** Called after an import or a reset, so the page reads the settings again. */
  onChanged(): void;
  /** Saves a file; the page's default goes through a download link. */
  download?(fileName: string, text: string): void;
}

export const SECRETS_NOTE =
  'Secrets are not included: re-enter the Twilio credentials and HighLevel tokens after importing.';

const WHAT_RESET_DELETES = [
  'every sub-account, with its synced data and audit log',
  'the outbox and the send log',
  'the Twilio credentials and every HighLevel token',
  'the white-label domains, their access and their content scripts',
  'the send settings and the "I am …" choices',
];

const UNEXPECTED = 'Something went wrong; try again.';

function messageOf(error: unknown): string {
  return error instanceof Error && error.message !== '' ? error.message : UNEXPECTED;
}

/** The file name of an export made at `exportedAt`: sender-lens-settings-YYYY-MM-DD.json. */
export function exportFileName(exportedAt: string): string {
  return `sender-lens-settings-${exportedAt.slice(0, 10)}.json`;
}

function downloadWithLink(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

type Notice = { ok: boolean; message: string } | null;

/** Export, import and reset of the settings. */
export function BackupSection(props: BackupSectionProps) {
  const [busy, setBusy] = useState<'export' | 'import' | 'reset' | null>(null);
  const [exported, setExported] = useState<Notice>(null);
  const [imported, setImported] = useState<ImportResult | { error: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [reset, setReset] = useState<{ deleted: string[] } | { error: string } | null>(null);

  const exportSettings = async () => {
    setBusy('export');
    setExported(null);
    try {
      const doc: SettingsDocument = await props.api.send('settings-export', {});
      const fileName = exportFileName(doc.exportedAt);
      (props.download ?? downloadWithLink)(fileName, `${JSON.stringify(doc, null, 2)}\n`);
      setExported({ ok: true, message: `Saved ${fileName}. ${SECRETS_NOTE}` });
    } catch (error) {
      setExported({ ok: false, message: messageOf(error) });
    }
    setBusy(null);
  };

  const importFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setBusy('import');
    setImported(null);
    let document: unknown;
    try {
      document = JSON.parse(await file.text());
    } catch {
      setImported({ error: `${file.name} is not a JSON file: choose a file exported here.` });
      setBusy(null);
      input.value = '';
      return;
    }
    try {
      setImported(await props.api.send('settings-import', { document }));
      props.onChanged();
    } catch (error) {
      setImported({ error: `Nothing was imported. ${messageOf(error)}` });
    }
    setBusy(null);
    input.value = '';
  };

  const resetAll = async () => {
    if (typed.trim() !== RESET_CONFIRMATION) return;
    setBusy('reset');
    try {
      setReset(await props.api.send('settings-reset', { confirm: RESET_CONFIRMATION }));
      setConfirming(false);
      setTyped('');
      props.onChanged();
    } catch (error) {
      setReset({ error: messageOf(error) });
    }
    setBusy(null);
  };

  return (
    <section class="card" aria-labelledby="backup-heading">
      <h2 id="backup-heading">Back up and reset</h2>

      <h3>Export</h3>
      <p class="lead" id="backup-export-note">
        Saves the sub-accounts, send settings, "I am …" choices and white-label domains to a file.{' '}
        {SECRETS_NOTE}
      </p>
      <div class="actions">
        <button
          type="button"
          class="primary"
          aria-describedby="backup-export-note"
          disabled={busy !== null}
          onClick={() => void exportSettings()}
        >
          {busy === 'export' ? 'Exporting…' : 'Export settings'}
        </button>
      </div>
      <div role="status" data-part="export-status">
        {exported === null ? null : (
          <p class={exported.ok ? 'saved' : 'alert'}>{exported.message}</p>
        )}
      </div>

      <h3>Import</h3>
      <div class="field">
        <label for="backup-import-file">Settings file to import</label>
        <input
          id="backup-import-file"
          type="file"
          accept="application/json,.json"
          disabled={busy !== null}
          onChange={(event) => void importFile(event.currentTarget)}
        />
        <p class="hint">
          Checks the whole file first: if anything in it is wrong, nothing is changed. Saved
          credentials are left as they are.
        </p>
      </div>
      <div role="status" data-part="import-status">
        {imported === null ? null : 'error' in imported ? (
          <p class="alert">{imported.error}</p>
        ) : (
          <>
            <p class="saved">Imported:</p>
            <ul class="results" aria-label="What the import applied">
              {imported.applied.map((line) => (
                <li key={line} class="ok">
                  {line}
                </li>
              ))}
              {imported.needsPermission.map((origin) => (
                <li key={origin} class="bad">
                  {origin}: needs your permission: add it under White-label domains
                </li>
              ))}
            </ul>
            <p class="muted">
              Not in the file: {imported.secretsLeftOut.join(' and ')}. Enter them again above.
            </p>
          </>
        )}
      </div>

      <h3>Reset</h3>
      <p class="lead">Deletes everything Sender Lens stored in this browser.</p>
      {confirming ? (
        <form
          class="reset-confirm"
          aria-labelledby="backup-reset-heading"
          onSubmit={(event) => {
            event.preventDefault();
            void resetAll();
          }}
        >
          <p id="backup-reset-heading">
            <strong>This deletes, and cannot be undone:</strong>
          </p>
          <ul>
            {WHAT_RESET_DELETES.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <div class="field">
            <label for="backup-reset-confirm">Type "{RESET_CONFIRMATION}" to confirm</label>
            <input
              id="backup-reset-confirm"
              type="text"
              autocomplete="off"
              value={typed}
              onInput={(event) => setTyped(event.currentTarget.value)}
            />
          </div>
          <div class="actions">
            <button
              type="submit"
              class="danger"
              disabled={busy !== null || typed.trim() !== RESET_CONFIRMATION}
            >
              {busy === 'reset' ? 'Deleting…' : 'Delete everything'}
            </button>
            <button
              type="button"
              disabled={busy !== null}
              onClick={() => {
                setConfirming(false);
                setTyped('');
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div class="actions">
          <button
            type="button"
            class="danger"
            disabled={busy !== null}
            onClick={() => {
              setReset(null);
              setConfirming(true);
            }}
          >
            Delete everything…
          </button>
        </div>
      )}
      <div role="status" data-part="reset-status">
        {reset === null ? null : 'error' in reset ? (
          <p class="alert">{reset.error}</p>
        ) : (
          <>
            <p class="saved">Everything Sender Lens stored was deleted:</p>
            <ul>
              {reset.deleted.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
