// The words Threadline writes into a help desk, the same in every vendor: the handoff note and a relayed message.
import type { HelpdeskComment, Requester } from '../types.ts';

/** Vendors cap text fields; keep the start (the summary and the first turns) and say that something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = '\n…(truncated)';
  return text.slice(0, Math.max(0, max - marker.length)) + marker;
}

export function handoffNote(summary: string, transcript: string): string {
  return `Handed off by Threadline.\n\nSummary:\n${summary}\n\nTranscript:\n${transcript}`;
}

/** The author's name in front, because the help desk shows every comment as written by the integration user. */
export function commentText(comment: HelpdeskComment): string {
  return comment.authorName ? `${comment.authorName}: ${comment.body}` : comment.body;
}

/** A vendor that requires a name gets the best thing we know about the customer. */
export function displayName(r: Requester): string {
  return r.name?.trim() || r.email || r.phone || `Customer ${r.customerId}`;
}

export function splitName(r: Requester): { first?: string; last: string } {
  const name = r.name?.trim();
  if (!name) return { last: displayName(r) };
  const at = name.lastIndexOf(' ');
  return at > 0 ? { first: name.slice(0, at), last: name.slice(at + 1) } : { last: name };
}

export const TICKET_STATUSES = ['new', 'open', 'pending', 'solved', 'closed'] as const;
