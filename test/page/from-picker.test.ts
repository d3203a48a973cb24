// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { type ComposerParts, readConversationView } from '@/lib/page/adapter';
import {
  findFromPicker,
  fromOptions,
  isFromMenuOpen,
  setFromPicker,
  showsNumber,
} from '@/lib/page/from-picker';
import { type FixtureApi, fixtureData, loadFixture } from './load-fixture';

const ROUTE = '/v2/location/loc-demo/conversations/conversations';
const NUMBERS = fixtureData().numbers.map((n) => n.number);
const JANE = '+14155550102';
const RAJ = '+14155550103';
const HYGIENE = '+14155550105';

let fixture: FixtureApi | undefined;
afterEach(() => fixture?.destroy());

function composer(): ComposerParts {
  const view = readConversationView(document);
  if (view.status !== 'ok') throw new Error(`expected an ok view, got ${JSON.stringify(view)}`);
  return view.composer;
}

/** A composer of our own making around `html`, for shapes the fixtures do not have. */
function handMade(html: string): ComposerParts {
  document.body.innerHTML = `<div id="composer-deferred-footer">${html}
    <input id="composer-input-c1" /><div id="conv-composer-footer"><div id="conv-send-button-simple">Send</div></div>
  </div>`;
  const byId = (id: string) => document.getElementById(id) as HTMLElement;
  return {
    footer: byId('conv-composer-footer'),
    input: byId('composer-input-c1'),
    sendButton: byId('conv-send-button-simple'),
    channelPicker: document.getElementById('conv-provider-select-trigger'),
  };
}

const openPicker = (f: FixtureApi) => f.state().menuOpen === 'from';

describe('findFromPicker on the page of 2026-12-02', () => {
  it('finds the From picker in the expanded composer by the number it shows', async () => {
    fixture = await loadFixture('picker', { path: `${ROUTE}/conv-alice` });
    const picker = findFromPicker(document, composer(), NUMBERS);
    expect(picker?.shown).toBe(JANE);
    expect(picker?.trigger.classList.contains('from-number-select')).toBe(true);
    // The channel picker next to it shows "SMS" and is not the number picker.
    expect(document.querySelector('#conv-provider-select-trigger')?.textContent).toBe('SMS');
  });

  it('follows what the picker shows when the page changes it', async () => {
    const f = await loadFixture('picker', { path: `${ROUTE}/conv-gina` });
    fixture = f;
    expect(findFromPicker(document, composer(), NUMBERS)?.shown).toBe('+14155550107');
    f.setFromNumber(HYGIENE);
    expect(findFromPicker(document, composer(), NUMBERS)?.shown).toBe(HYGIENE);
  });

  it('finds nothing when the composer is collapsed or on another channel', async () => {
    const f = await loadFixture('picker', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    f.setExpanded(false);
    expect(findFromPicker(document, composer(), NUMBERS)).toBeNull();
    f.setExpanded(true);
    expect(findFromPicker(document, composer(), NUMBERS)?.shown).toBe(JANE);
    document.querySelector<HTMLElement>('#conv-provider-select-trigger')?.click();
    const whatsApp = [
      ...document.querySelectorAll<HTMLElement>('#provider-select-popover [role="menuitem"]'),
    ].find((item) => item.textContent === 'WhatsApp');
    whatsApp?.click();
    expect(f.state().channel).toBe('WhatsApp');
    expect(findFromPicker(document, composer(), NUMBERS)).toBeNull();
  });

  it('finds nothing without the sub-account’s numbers to look for', async () => {
    fixture = await loadFixture('picker', { path: `${ROUTE}/conv-alice` });
    expect(findFromPicker(document, composer(), [])).toBeNull();
    expect(findFromPicker(document, composer(), ['+19995550000'])).toBeNull();
  });
});

describe('the channel picker is never the number picker', () => {
  it.each(['main', 'alt'] as const)(
    'the %s page’s #conv-provider-select-trigger shows a number, yet no picker is found',
    async (name) => {
      fixture = await loadFixture(name, { path: `${ROUTE}/conv-alice` });
      expect(document.querySelector('#conv-provider-select-trigger')?.textContent).toBe(
        '(415) 555-0101',
      );
      expect(findFromPicker(document, composer(), NUMBERS)).toBeNull();
    },
  );

  it.each(['conv-provider-select-trigger', 'conv-channel-bar-provider-trigger'])(
    '#%s, or a control wrapping it, is ignored',
    (id) => {
      const parts = handMade(
        `<div role="button" tabindex="0"><button id="${id}">(415) 555-0101</button></div>`,
      );
      expect(findFromPicker(document, parts, NUMBERS)).toBeNull();
    },
  );
});

describe('findFromPicker on shapes of its own', () => {
  it('takes the innermost control, and only one', () => {
    let parts = handMade(
      '<div tabindex="0" class="wrap"><button class="inner">(415) 555-0105 · Hygiene</button></div>',
    );
    expect(findFromPicker(document, parts, NUMBERS)?.trigger.className).toBe('inner');
    // Two controls showing numbers: no guess.
    parts = handMade('<button>(415) 555-0105</button><button>(415) 555-0101</button>');
    expect(findFromPicker(document, parts, NUMBERS)).toBeNull();
  });

  it('ignores text that is not a control, options, and hidden controls', () => {
    let parts = handMade('<span>(415) 555-0105</span><div role="option">(415) 555-0101</div>');
    expect(findFromPicker(document, parts, NUMBERS)).toBeNull();
    parts = handMade('<button style="display: none">(415) 555-0105</button>');
    expect(findFromPicker(document, parts, NUMBERS)).toBeNull();
    parts = handMade('<div hidden><button>(415) 555-0105</button></div>');
    expect(findFromPicker(document, parts, NUMBERS)).toBeNull();
  });

  it('looks only inside the composer', () => {
    const parts = handMade('');
    document.body.insertAdjacentHTML('afterbegin', '<button>(415) 555-0105</button>');
    expect(findFromPicker(document, parts, NUMBERS)).toBeNull();
  });
});

describe('the menu of the From picker', () => {
  it('keeps its options in the DOM while closed, and a closed menu is not open', async () => {
    const f = await loadFixture('picker', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    const picker = findFromPicker(document, composer(), NUMBERS);
    if (!picker) throw new Error('no picker');
    const closed = fromOptions(document, picker, NUMBERS);
    // Jane is offered the default, the last used (her own), and the unassigned numbers.
    expect(closed.map((o) => o.number)).toEqual([
      '+14155550101',
      JANE,
      '+14155550105',
      '+14155550106',
      '+14155550107',
      '+14155550108',
      '+14155550109',
      '+14155550110',
      '+14155550111',
      '+15105550112',
    ]);
    expect(closed.every((o) => !o.visible)).toBe(true);
    expect(isFromMenuOpen(document, picker, NUMBERS)).toBe(false);
    expect(closed[0]?.element.textContent).toBe('(415) 555-0101 · Main OfficeDefault');
    expect(closed[1]?.element.textContent).toBe('(415) 555-0102 · Jane DoeLast used');

    picker.trigger.click();
    expect(openPicker(f)).toBe(true);
    expect(isFromMenuOpen(document, picker, NUMBERS)).toBe(true);
    expect(fromOptions(document, picker, NUMBERS).every((o) => o.visible)).toBe(true);
  });

  it('reads an aria-expanded="false" trigger as closed, whatever is drawn', () => {
    const parts = handMade(`<button aria-expanded="false">(415) 555-0105</button>
      <div role="listbox"><div role="option">(415) 555-0101</div></div>`);
    const picker = findFromPicker(document, parts, NUMBERS);
    if (!picker) throw new Error('no picker');
    expect(fromOptions(document, picker, NUMBERS)[0]?.visible).toBe(true);
    expect(isFromMenuOpen(document, picker, NUMBERS)).toBe(false);
  });

  it('takes the options of the menu the trigger names, when it names one', () => {
    const parts = handMade(`<button aria-controls="m2">(415) 555-0105</button>
      <div id="m1"><div role="option">(415) 555-0101</div></div>
      <div id="m2"><div role="option">(415) 555-0106</div></div>`);
    const picker = findFromPicker(document, parts, NUMBERS);
    if (!picker) throw new Error('no picker');
    expect(fromOptions(document, picker, NUMBERS).map((o) => o.number)).toEqual(['+14155550106']);
  });
});

describe('setFromPicker', () => {
  it('opens the picker through its trigger, picks the option, and leaves the menu closed', async () => {
    const f = await loadFixture('picker', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    await expect(setFromPicker(document, composer(), HYGIENE, NUMBERS)).resolves.toBe('selected');
    expect(f.state()).toMatchObject({
      selectedNumber: HYGIENE,
      menuOpen: null,
      fromOpens: 1,
      channel: 'SMS',
      channelOpens: 0,
    });
    expect(findFromPicker(document, composer(), NUMBERS)?.shown).toBe(HYGIENE);
  });

  it('opens a closed menu first, though its hidden options are in the DOM', async () => {
    const f = await loadFixture('picker', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    const hidden = document.querySelectorAll('.from-number-menu .n-dropdown-option');
    expect(hidden.length).toBeGreaterThan(0);
    await setFromPicker(document, composer(), '+14155550107', NUMBERS);
    expect(f.state()).toMatchObject({ selectedNumber: '+14155550107', fromOpens: 1 });
  });

  it('goes by what is drawn when the trigger does not say whether it is expanded', async () => {
    const f = await loadFixture('picker', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    document.querySelector('.from-number-select')?.removeAttribute('aria-expanded');
    const picker = findFromPicker(document, composer(), NUMBERS);
    if (!picker) throw new Error('no picker');
    expect(isFromMenuOpen(document, picker, NUMBERS)).toBe(false);
    await expect(setFromPicker(document, composer(), HYGIENE, NUMBERS)).resolves.toBe('selected');
    expect(f.state()).toMatchObject({ selectedNumber: HYGIENE, fromOpens: 1, menuOpen: null });
  });

  it('touches nothing when the picker already shows the number', async () => {
    const f = await loadFixture('picker', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    await expect(setFromPicker(document, composer(), JANE, NUMBERS)).resolves.toBe('selected');
    expect(f.state()).toMatchObject({ fromOpens: 0, menuOpen: null });
  });

  it('answers not-listed for a number HighLevel does not offer, and closes the menu', async () => {
    const f = await loadFixture('picker', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    // Raj's number: HighLevel offers Jane only hers, the default, the last used and unassigned ones.
    await expect(setFromPicker(document, composer(), RAJ, NUMBERS)).resolves.toBe('not-listed');
    expect(f.state()).toMatchObject({ selectedNumber: JANE, menuOpen: null, fromOpens: 1 });
  });

  it('answers not-found, touching nothing, on a page without a recognisable picker', async () => {
    const f = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    await expect(setFromPicker(document, composer(), HYGIENE, NUMBERS)).resolves.toBe('not-found');
    // The channel picker (here still showing a number, as the 2026-05-26 page had it) stays shut.
    expect(f.state()).toMatchObject({ selectedNumber: '+14155550101', menuOpen: null });
  });

  it('answers did-not-open when the trigger opens nothing in time', async () => {
    const parts = handMade('<button>(415) 555-0105</button>');
    await expect(
      setFromPicker(document, parts, '+14155550101', NUMBERS, { timeoutMs: 20 }),
    ).resolves.toBe('did-not-open');
  });

  it('answers did-not-change when the option does nothing, and closes the menu with Escape', async () => {
    const parts = handMade(`<button>(415) 555-0105</button>
      <div class="menu" style="display: none"><div role="option">(415) 555-0101</div></div>`);
    const menu = document.querySelector('.menu') as HTMLElement;
    let escapes = 0;
    document.querySelector('button')?.addEventListener('click', () => {
      menu.style.display = '';
    });
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      escapes += 1;
      menu.style.display = 'none';
    });
    await expect(
      setFromPicker(document, parts, '+14155550101', NUMBERS, { timeoutMs: 20 }),
    ).resolves.toBe('did-not-change');
    expect(escapes).toBe(1);
    expect(menu.style.display).toBe('none');
  });

  it('falls back to the trigger when Escape does not close the menu', async () => {
    const parts = handMade(`<button>(415) 555-0105</button>
      <div class="menu" style="display: none"><div role="option">(415) 555-0106</div></div>`);
    const menu = document.querySelector('.menu') as HTMLElement;
    document.querySelector('button')?.addEventListener('click', () => {
      menu.style.display = menu.style.display === 'none' ? '' : 'none';
    });
    await expect(setFromPicker(document, parts, '+14155550101', NUMBERS)).resolves.toBe(
      'not-listed',
    );
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(menu.style.display).toBe('none');
  });

  it('waits for options that render after the click, like Vue on its next tick', async () => {
    const parts = handMade('<button>(415) 555-0105</button>');
    let picked = '';
    document.querySelector('button')?.addEventListener('click', () => {
      setTimeout(() => {
        document.body.insertAdjacentHTML(
          'beforeend',
          '<div class="n-dropdown-option"><div class="n-dropdown-option-body">+1 415-555-0101</div></div>',
        );
        document.querySelector('.n-dropdown-option-body')?.addEventListener('click', () => {
          picked = 'yes';
          const trigger = document.querySelector('button') as HTMLElement;
          trigger.textContent = '(415) 555-0101';
          document.querySelector('.n-dropdown-option')?.remove();
        });
      }, 5);
    });
    await expect(setFromPicker(document, parts, '+14155550101', NUMBERS)).resolves.toBe('selected');
    expect(picked).toBe('yes');
  });

  it('stops waiting when aborted', async () => {
    const parts = handMade('<button>(415) 555-0105</button>');
    const controller = new AbortController();
    const result = setFromPicker(document, parts, '+14155550101', NUMBERS, {
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    controller.abort();
    await expect(result).resolves.toBe('did-not-open');
  });
});

describe('showsNumber', () => {
  it.each([
    ['(415) 555-0105', '+14155550105', true],
    ['4155550105', '+14155550105', true],
    ['+1 415-555-0105', '(415) 555-0105', true],
    ['1.415.555.0105 · Hygiene', '+14155550105', true],
    ['(415) 555-0105 2nd line', '+14155550105', true],
    ['Hygiene: +1 415 555 0105', '+14155550105', true],
    ['+44 20 7946 0958', '020 7946 0958', true],
    ['+45 32 12 34 56', '+4532123456', true],
    ['(415) 555-0105', '555-0105', false],
    ['(415) 555-0105', '+14155550106', false],
    ['(628) 555-0105', '+14155550105', false],
    ['Line 2 · ext. 105', '+14155550105', false],
    ['Suite 105', '+14155550105', false],
    ['(415) 555-0105', 'abc12', false],
  ])('"%s" shows %s: %s', (text, number, result) => {
    expect(showsNumber(text, number)).toBe(result);
  });
});
