// The demo's tour as data: which conversation is opened as whom, what is done on screen, what
// each screenshot frames, and a caption saying what it shows. scripts/demo/run.ts plays it.

/** One conversation the demo opens, as one member of staff, and what its badge should say. */
export interface Stop {
  key: string;
  conversationId: string;
  contact: string;
  userId: string;
  user: string;
  /** Why this stop is in the tour. */
  shows: string;
  /** Parts the badge must show once the sender is worked out. */
  expect: string[];
}

/** What a screenshot can be cropped around. */
export type Part =
  | 'composer'
  | 'tooltip'
  | 'switcher'
  | 'audit chip'
  | 'audit details'
  | 'sent row';

/** Where a screenshot is taken. */
export type Frame =
  /** The whole options page. */
  | { page: 'options' }
  /** The Conversations page as it fills the window. */
  | { page: 'conversation' }
  /** The message list alone. */
  | { page: 'messages' }
  /** The smallest rectangle around these parts, padded by `pad` pixels. */
  | { around: Part[]; pad: number };

/** A screenshot: named (the runner numbers them in order) and framed. */
export interface Shot {
  name: string;
  frame: Frame;
  /** Animations stopped first, for the tooltip and switcher, which fade in. */
  still?: boolean;
}

/** What a step does on screen. */
export type Act =
  /** Connects by hand on the options page: credentials, check, sync. */
  | { act: 'connect' }
  /** Opens the stop's conversation as its member of staff; waits for the expected badge. */
  | { act: 'open'; stop: Stop }
  /** Nothing done: another look at what is on screen. */
  | { act: 'look' }
  /** Tabs onto the badge, which opens "why this number"; keeps all its lines or the deciding ones. */
  | { act: 'tooltip'; keep: 'all' | 'deciding' }
  | { act: 'open switcher' }
  | { act: 'scroll switcher to the end' }
  | { act: 'close switcher' }
  /** Waits until every message row shows the number Twilio says it used. */
  | { act: 'audit' }
  /** Opens the details of the lowest chip on screen. */
  | { act: 'audit details' }
  /** Types `text` in the composer, sends it via Twilio, waits until its row in place says delivered. */
  | { act: 'send'; text: string };

/** One step of the tour: something done on screen, then at most one screenshot. */
export type Step = Act & {
  /** What the step shows, in a line. */
  caption: string;
  shot?: Shot;
};

/** The main conversation: Jane writing to Alice, from Jane's own number. */
export const MAIN: Stop = {
  key: 'jane-own-number',
  conversationId: 'conv-alice',
  contact: 'Alice Morgan',
  userId: 'usr-jane-doe',
  user: 'Jane Doe',
  shows: 'her own number',
  expect: ['(415) 555-0102', 'Jane Doe', 'your number'],
};

/** The rest of the tour: one conversation per rule. */
export const OTHER_STOPS: Stop[] = [
  {
    key: 'maria-voice-only',
    conversationId: 'conv-alice',
    contact: 'Alice Morgan',
    userId: 'usr-maria-chen',
    user: 'Maria Chen',
    shows: 'her number is voice-only',
    expect: ['(415) 555-0101', 'Main Office', 'default'],
  },
  {
    key: 'vic-channel-number',
    conversationId: 'conv-ben',
    contact: 'Ben Carter',
    userId: 'usr-vic-lowe',
    user: 'Vic Lowe',
    shows: 'no number of his own',
    expect: ['(415) 555-0105', 'Hygiene', 'channel number'],
  },
  {
    key: 'vic-removed-channel',
    conversationId: 'conv-carla',
    contact: 'Carla Diaz',
    userId: 'usr-vic-lowe',
    user: 'Vic Lowe',
    shows: 'her channel number was released',
    expect: ['(415) 555-0101', 'default'],
  },
  {
    key: 'jane-opted-out',
    conversationId: 'conv-dev',
    contact: 'Dev Shah',
    userId: 'usr-jane-doe',
    user: 'Jane Doe',
    shows: 'he texted STOP',
    expect: ['Blocked', 'STOP'],
  },
];

const TOOLTIP_CROP: Frame = { around: ['tooltip', 'composer'], pad: 12 };
const SWITCHER_CROP: Frame = { around: ['switcher', 'composer'], pad: 12 };

export const TOUR: Step[] = [
  {
    act: 'connect',
    caption: 'The options page, connected and synced the way an admin would do it',
    shot: { name: 'options-synced', frame: { page: 'options' } },
  },
  {
    act: 'open',
    stop: MAIN,
    caption: 'Jane writing to Alice: the badge by the send button names her own number',
    shot: { name: 'conversation', frame: { page: 'conversation' }, still: true },
  },
  {
    act: 'look',
    caption: 'The badge, close up',
    shot: { name: 'badge', frame: { around: ['composer'], pad: 8 } },
  },
  {
    act: 'tooltip',
    keep: 'all',
    caption: '"Why this number": every rule, in order, and what it decided',
    shot: { name: 'tooltip', frame: TOOLTIP_CROP, still: true },
  },
  {
    act: 'open switcher',
    caption: 'A click on the badge opens the switcher (the tooltip gives way)',
    shot: { name: 'switcher', frame: SWITCHER_CROP, still: true },
  },
  {
    act: 'scroll switcher to the end',
    caption: 'The voice-only numbers sit at the end, greyed out with the reason',
    shot: { name: 'switcher-voice-only', frame: SWITCHER_CROP, still: true },
  },
  { act: 'close switcher', caption: 'Escape closes the switcher; back to the message box' },
  {
    act: 'audit',
    caption: 'Every message row gets the number Twilio says it really used',
    shot: { name: 'audit', frame: { page: 'messages' } },
  },
  {
    act: 'audit details',
    // Details open upwards, so the lowest chip on screen has room for them above it.
    caption: "One chip's details: Twilio's SID, delivery status, segments, price",
    shot: { name: 'audit-details', frame: { around: ['audit details', 'audit chip'], pad: 16 } },
  },
  {
    act: 'send',
    text: 'Your crown is ready, see you Friday at 3pm!',
    caption:
      'Send via Twilio: the segment count while typing, then the message in place, from the number on the badge, delivered',
    shot: { name: 'sent', frame: { around: ['sent row', 'composer'], pad: 12 } },
  },
  ...OTHER_STOPS.flatMap((stop): Step[] => [
    { act: 'open', stop, caption: `${stop.contact}, as ${stop.user}: ${stop.shows}` },
    {
      act: 'tooltip',
      keep: 'deciding',
      caption: 'The rules that decided it',
      shot: { name: `tour-${stop.key}`, frame: TOOLTIP_CROP, still: true },
    },
  ]),
];
