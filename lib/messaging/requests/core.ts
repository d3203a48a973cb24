/**
 * Which number a send goes out from, asked by the extension's own pages.
 */
import type { Resolution, Send } from '../../rules/types';
import { id, phone } from '../fields';
import { type Catalogue, request } from '../request';
import { literal, object, optional, type Schema, variants } from '../schema';

/** The sends of ../rules/types.ts, field for field. */
export const sendSchema: Schema<Send> = variants('via', {
  conversation: object(
    {
      via: literal('conversation'),
      contactId: id(),
      userId: optional(id()),
      pick: optional(phone()),
    },
    'a conversation send',
  ),
  workflow: object(
    {
      via: literal('workflow'),
      contactId: id(),
      userId: optional(id()),
      fromNumber: optional(phone()),
    },
    'a workflow send',
  ),
  bulk: object(
    { via: literal('bulk'), contactId: id(), fromNumber: optional(phone()) },
    'a bulk send',
  ),
});

export interface ResolvePayload {
  /** The HighLevel sub-account (location) the send belongs to. */
  locationId: string;
  send: Send;
}

/** The resolver's answer, and when the data it used was last synced. */
export type ResolveResponse = Resolution & { syncedAt: string | null };

const resolvePayload: Schema<ResolvePayload> = object(
  { locationId: id(), send: sendSchema },
  'a resolve request',
);

/** Requests every context shares. */
export const coreRequests = {
  /** Which number will this send go out from, and why. */
  resolve: request<ResolveResponse>()({
    // Extension pages only: content scripts ask for the sender view, which is
    // budgeted per tab and answers in fixed sentences.
    from: ['extension-page'],
    frames: 'top',
    payload: resolvePayload,
  }),
} satisfies Catalogue;
