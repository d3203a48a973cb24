// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { PageStatus } from '../../components/PageStatus';
import { type Mounted, mount, text } from '../components/dom';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

const base = { at: '2026-05-26T16:00:00Z', origin: 'https://app.gohighlevel.com' };

describe('PageStatus', () => {
  it('says why nothing is drawn on an unrecognised page, naming the missing parts in words', () => {
    mounted = mount(
      <PageStatus
        status={{
          ...base,
          status: 'unrecognised',
          missing: ['messageScroller', 'sendButton', 'oddPart'],
        }}
      />,
    );
    expect(text(mounted.container)).toContain("does not recognise this page's layout");
    expect(text(mounted.container)).toContain(
      'Not found: the message list, the send button and oddPart.',
    );
  });

  it('has a line for a working page, a page without a conversation, no report and loading', () => {
    mounted = mount(<PageStatus status={{ ...base, status: 'ok' }} />);
    expect(text(mounted.container)).toContain('Working on this conversation');
    expect(text(mounted.container)).not.toContain('card');
    mounted.rerender(
      <PageStatus status={{ ...base, status: 'ok', contactIdFrom: 'activeConversationCard' }} />,
    );
    expect(text(mounted.container)).toContain("The contact comes from the conversation's card");
    mounted.rerender(<PageStatus status={{ ...base, status: 'no-conversation' }} />);
    expect(text(mounted.container)).toContain('Open a conversation');
    mounted.rerender(<PageStatus status={null} />);
    expect(text(mounted.container)).toContain('not running on this tab');
    mounted.rerender(<PageStatus status={undefined} />);
    expect(text(mounted.container)).toBe('Checking this tab…');
  });
});
