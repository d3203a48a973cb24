/**
 * White-label domains: an agency serves HighLevel on its own domain
 * (app.myagency.com), which no build can know. The options page asks the
 * browser for access to the domain (a permission prompt needs the user's
 * click, so only the page can), then the background registers the content
 * scripts the manifest declares for HighLevel's own hosts (the conversations
 * script and the main-world user probe) there too, with
 * `scripting.registerContentScripts`.
 *
 * The list is kept in `storage.local` as well as in the browser's own
 * registrations: Chrome persists registrations across restarts, other
 * browsers may not, and `restore()` puts back whatever is missing on startup
 * and drops registrations whose permission the user took away.
 */
import { browser } from 'wxt/browser';
import { HIGHLEVEL_APP_HOSTS } from '../hosts';
import type { HostView } from '../messaging/requests/settings';

/** Where the list of added domains is kept. Domains are not secret. */
export const WHITE_LABEL_KEY = 'sender-lens:white-label-origins';

/** The conversations script as WXT builds it, when the manifest declares none. */
export const CONVERSATIONS_SCRIPT = 'content-scripts/conversations.js';

const ID_PREFIX = 'sender-lens-white-label:';

type RunAt = 'document_start' | 'document_end' | 'document_idle';

/** A content script of the manifest, to be run on white-label domains as well. */
export interface PageScript {
  /** Short and stable, for the registration id: the script's file name. */
  name: string;
  js: string[];
  css?: string[];
  world?: 'ISOLATED' | 'MAIN';
  runAt?: RunAt;
}

/** A content script registration, as `scripting.registerContentScripts` takes it. */
export interface ScriptRegistration {
  id: string;
  matches: string[];
  js: string[];
  css?: string[];
  world?: 'ISOLATED' | 'MAIN';
  runAt: RunAt;
  allFrames: false;
}

/** The browser APIs the registry uses; the real ones in the extension, fakes in tests. */
export interface HostApi {
  hasPermission(pattern: string): Promise<boolean>;
  removePermission(pattern: string): Promise<void>;
  registeredIds(): Promise<string[]>;
  register(scripts: ScriptRegistration[]): Promise<void>;
  unregister(ids: string[]): Promise<void>;
  readList(): Promise<unknown>;
  writeList(list: StoredHost[]): Promise<void>;
  /** The content scripts that run on HighLevel's own hosts. */
  pageScripts(): PageScript[];
}

/** One added domain as stored: its origin and the match pattern of its pages. */
export interface StoredHost {
  origin: string;
  pattern: string;
}

/** The registry's operations, as the settings handlers use them. */
export interface HostRegistry {
  list(): Promise<HostView[]>;
  /** Registers the script on a domain whose permission is already granted. */
  add(host: StoredHost): Promise<HostView[]>;
  /** Unregisters the script, gives the permission back and forgets the domain. */
  remove(origin: string): Promise<HostView[]>;
  /** Re-registers granted domains whose registration is missing; drops revoked ones. */
  restore(): Promise<void>;
}

/** Refused by the registry; the message is written for the user. */
export class HostError extends Error {
  override name = 'HostError';
}

function scriptId(script: PageScript, pattern: string): string {
  return `${ID_PREFIX}${script.name}:${pattern}`;
}

function readStored(value: unknown): StoredHost[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is StoredHost =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as StoredHost).origin === 'string' &&
      typeof (item as StoredHost).pattern === 'string',
  );
}

/** The white-label registry over the given browser APIs. */
export function createHostRegistry(api: HostApi): HostRegistry {
  function registrations(host: StoredHost): ScriptRegistration[] {
    return api.pageScripts().map((script) => ({
      id: scriptId(script, host.pattern),
      matches: [host.pattern],
      js: script.js,
      ...(script.css && script.css.length > 0 ? { css: script.css } : {}),
      ...(script.world ? { world: script.world } : {}),
      runAt: script.runAt ?? 'document_idle',
      allFrames: false,
    }));
  }

  async function views(hosts: StoredHost[]): Promise<HostView[]> {
    const ids = new Set(await api.registeredIds());
    return Promise.all(
      hosts.map(async (host) => ({
        origin: host.origin,
        granted: await api.hasPermission(host.pattern),
        registered: registrations(host).every((r) => ids.has(r.id)),
      })),
    );
  }

  async function stored(): Promise<StoredHost[]> {
    return readStored(await api.readList());
  }

  // One change at a time: a startup restore racing an add would register the
  // same script twice, which the browser refuses.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  }

  const registry: HostRegistry = {
    async list() {
      return views(await stored());
    },

    async add(host) {
      if (!(await api.hasPermission(host.pattern))) {
        throw new HostError(
          `Sender Lens has no access to ${host.origin} yet: click Add again and choose Allow.`,
        );
      }
      const hosts = await stored();
      const ids = new Set(await api.registeredIds());
      const missing = registrations(host).filter((r) => !ids.has(r.id));
      if (missing.length > 0) await api.register(missing);
      if (!hosts.some((h) => h.pattern === host.pattern)) {
        await api.writeList([...hosts, host]);
        hosts.push(host);
      }
      return views(hosts);
    },

    async remove(origin) {
      const hosts = await stored();
      const found = hosts.find((h) => h.origin === origin);
      if (found === undefined) throw new HostError(`${origin} is not in the list of domains.`);
      const ids = new Set(await api.registeredIds());
      const present = registrations(found)
        .map((r) => r.id)
        .filter((id) => ids.has(id));
      if (present.length > 0) await api.unregister(present);
      const rest = hosts.filter((h) => h !== found);
      await api.writeList(rest);
      // Giving the permission back is a courtesy; the domain is already unused.
      await api.removePermission(found.pattern).catch(() => {});
      return views(rest);
    },

    async restore() {
      const hosts = await stored();
      const ids = new Set(await api.registeredIds());
      const wanted = new Set<string>();
      const missing: ScriptRegistration[] = [];
      for (const host of hosts) {
        if (!(await api.hasPermission(host.pattern))) continue;
        for (const registration of registrations(host)) {
          wanted.add(registration.id);
          if (!ids.has(registration.id)) missing.push(registration);
        }
      }
      const stale = [...ids].filter((id) => id.startsWith(ID_PREFIX) && !wanted.has(id));
      if (stale.length > 0) await api.unregister(stale);
      if (missing.length > 0) await api.register(missing);
    },
  };
  return {
    list: () => serial(() => registry.list()),
    add: (host) => serial(() => registry.add(host)),
    remove: (origin) => serial(() => registry.remove(origin)),
    restore: () => serial(() => registry.restore()),
  };
}

/** The browser's own APIs behind HostApi. */
export function browserHostApi(): HostApi {
  return {
    hasPermission: (pattern) => browser.permissions.contains({ origins: [pattern] }),
    async removePermission(pattern) {
      await browser.permissions.remove({ origins: [pattern] });
    },
    async registeredIds() {
      const scripts = await browser.scripting.getRegisteredContentScripts();
      return scripts.map((script) => script.id);
    },
    async register(scripts) {
      await browser.scripting.registerContentScripts(scripts);
    },
    async unregister(ids) {
      await browser.scripting.unregisterContentScripts({ ids });
    },
    async readList() {
      return (await browser.storage.local.get(WHITE_LABEL_KEY))[WHITE_LABEL_KEY];
    },
    async writeList(list) {
      await browser.storage.local.set({ [WHITE_LABEL_KEY]: list });
    },
    pageScripts() {
      // The manifest names the built files, so renamed bundles and new scripts follow along.
      const declared = (browser.runtime.getManifest().content_scripts ?? []).filter(
        (script) =>
          script.matches?.includes(HIGHLEVEL_APP_HOSTS[0] ?? '') &&
          ((script.js?.length ?? 0) > 0 || (script.css?.length ?? 0) > 0),
      );
      if (declared.length === 0) return [{ name: 'conversations', js: [CONVERSATIONS_SCRIPT] }];
      return declared.map((script) => {
        const js = script.js ?? [];
        const out: PageScript = {
          name: (js[0] ?? 'script').replace(/^.*\//, '').replace(/\.js$/, ''),
          js,
        };
        if (script.css && script.css.length > 0) out.css = script.css;
        const world = (script as { world?: string }).world;
        if (world === 'MAIN' || world === 'ISOLATED') out.world = world;
        if (script.run_at) out.runAt = script.run_at;
        return out;
      });
    },
  };
}

let shared: HostRegistry | null = null;

/** The registry over the browser's own APIs; one per background, so its changes queue up together. */
export function whiteLabelHosts(): HostRegistry {
  shared ??= createHostRegistry(browserHostApi());
  return shared;
}

/**
 * For the background's startup (call it synchronously in defineBackground):
 * puts back missing registrations, and drops a domain's registration when the
 * user revokes its permission in the browser.
 */
export function startWhiteLabelHosts(registry: HostRegistry = whiteLabelHosts()): void {
  const restore = () => {
    registry.restore().catch((error: unknown) => {
      const name = error instanceof Error ? error.name : typeof error;
      console.error(`Sender Lens: restoring white-label domains failed (${name}).`);
    });
  };
  browser.permissions.onRemoved.addListener(restore);
  restore();
}
