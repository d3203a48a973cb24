import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../components/options/options.css';
import { sendRequest } from '../../lib/messaging/client';
import { OptionsApp } from './App';

const root = document.getElementById('app');
if (root) {
  render(
    <OptionsApp
      api={{
        send: sendRequest,
        requestPermission: (pattern) => browser.permissions.request({ origins: [pattern] }),
      }}
    />,
    root,
  );
}
