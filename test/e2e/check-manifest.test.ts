// The manifest check guards production against test-only hosts; prove it can actually fail.
import { describe, expect, it } from 'vitest';
import {
  contentScriptProblems,
  e2eProblems,
  productionProblems,
} from '../../scripts/check-manifest';

const PROD = {
  host_permissions: ['https://*.gohighlevel.com/*', 'https://api.twilio.com/*'],
  optional_host_permissions: ['https://*/*'],
  permissions: ['storage'],
  content_scripts: [{ matches: ['https://*.gohighlevel.com/*'] }],
};

describe('productionProblems', () => {
  it('accepts a manifest with only real hosts', () => {
    expect(productionProblems(PROD)).toEqual([]);
  });

  it('flags loopback hosts wherever they appear', () => {
    const problems = productionProblems({
      host_permissions: [...PROD.host_permissions, 'http://127.0.0.1/*'],
      optional_host_permissions: ['http://localhost:8080/*'],
      permissions: ['storage', 'http://[::1]/*'],
      content_scripts: [{ matches: ['https://*.gohighlevel.com/*', '*://127.0.0.1/*'] }],
    });
    expect(problems).toEqual([
      'host_permissions contains the local host http://127.0.0.1/*',
      'optional_host_permissions contains the local host http://localhost:8080/*',
      'permissions contains the local host http://[::1]/*',
      'content_scripts[0].matches contains the local host *://127.0.0.1/*',
    ]);
  });

  it('does not mistake a real host that merely starts with "localhost" for loopback', () => {
    expect(productionProblems({ host_permissions: ['https://localhost.example.com/*'] })).toEqual(
      [],
    );
  });
});

describe('e2eProblems', () => {
  it('accepts a manifest that grants and injects into 127.0.0.1', () => {
    expect(
      e2eProblems({
        host_permissions: ['http://127.0.0.1/*'],
        content_scripts: [{ matches: ['https://*.gohighlevel.com/*', 'http://127.0.0.1/*'] }],
      }),
    ).toEqual([]);
  });

  it('names each missing piece', () => {
    expect(e2eProblems(PROD)).toEqual([
      'host_permissions lacks http://127.0.0.1/*',
      'content_scripts[0].matches lacks http://127.0.0.1/*',
    ]);
    expect(e2eProblems({ host_permissions: ['http://127.0.0.1/*'] })).toEqual([
      'has no content_scripts',
    ]);
  });
});

describe('contentScriptProblems', () => {
  it('accepts a bundle of views and messages', () => {
    expect(
      contentScriptProblems('render(h(SenderBadge));sendMessage({type:"sender-view"})'),
    ).toEqual([]);
  });

  it('flags the store and the secrets by what only they bring', () => {
    expect(contentScriptProblems('const d=indexedDB.open("x");')).toEqual([
      'contains "indexedDB", from the store',
    ]);
    expect(contentScriptProblems('get("sender-lens-secrets");x.authToken')).toEqual([
      'contains "sender-lens-secrets", from the secrets',
      'contains "authToken", from a credential field',
    ]);
  });
});
