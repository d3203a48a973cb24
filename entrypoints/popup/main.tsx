import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import '../../components/options/options.css';
import { PopupStatus } from '../../components/options/PopupStatus';
import { PageStatus } from '../../components/PageStatus';
import { MessagingError, sendRequest } from '../../lib/messaging/client';
import type { PageStatus as TabPageStatus } from '../../lib/messaging/requests/conversation';
import type { LocationView } from '../../lib/messaging/requests/settings';

// While a sync runs, the popup refreshes at this pace; it is open for seconds, not minutes.
const REFRESH_MS = 1000;

function Popup() {
  const [locations, setLocations] = useState<LocationView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now);
  const [pageStatus, setPageStatus] = useState<TabPageStatus | null | undefined>();

  useEffect(() => {
    // What the content script found on the active tab, so the popup can say
    // why no badge shows on a page Sender Lens did not recognise.
    browser.tabs
      .query({ active: true, currentWindow: true })
      .then(([tab]) =>
        tab?.id === undefined ? null : sendRequest('page-status-get', { tabId: tab.id }),
      )
      .then(setPageStatus, () => setPageStatus(null));
  }, []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const load = async () => {
      try {
        const settings = await sendRequest('settings-get', {});
        if (stopped) return;
        setLocations(settings.locations);
        setError(null);
        setNow(Date.now());
        if (settings.locations.some((l) => l.sync.running)) timer = setTimeout(load, REFRESH_MS);
      } catch (caught) {
        if (!stopped) {
          setError(
            caught instanceof MessagingError ? caught.message : 'Could not read the status.',
          );
        }
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  return (
    <PopupStatus
      locations={locations}
      error={error}
      now={now}
      onOpenOptions={() => {
        void browser.runtime.openOptionsPage().then(() => window.close());
      }}
    >
      <PageStatus status={pageStatus} />
    </PopupStatus>
  );
}

const root = document.getElementById('app');
if (root) render(<Popup />, root);
