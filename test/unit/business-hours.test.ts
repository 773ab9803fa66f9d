import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handoffNotice, isOpen, nextOpening, type BusinessHours } from '../../integrations/helpdesk/businessHours.ts';

const ny: BusinessHours = { timezone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

describe('business hours', () => {
  it('knows when the team is in, in its own time zone', () => {
    assert.equal(isOpen(new Date('2026-11-24T15:00:00Z'), ny), true); // Tue 10:00 in New York
    assert.equal(isOpen(new Date('2026-11-24T23:00:00Z'), ny), false); // Tue 18:00
    assert.equal(isOpen(new Date('2026-11-28T15:00:00Z'), ny), false); // Saturday
  });

  it('finds the next opening across the night and the weekend', () => {
    assert.equal(nextOpening(new Date('2026-11-24T23:00:00Z'), ny)?.toISOString(), '2026-11-25T14:00:00.000Z'); // Wed 09:00 EST
    assert.equal(nextOpening(new Date('2026-11-27T23:30:00Z'), ny)?.toISOString(), '2026-11-30T14:00:00.000Z'); // Fri evening → Mon
    assert.equal(nextOpening(new Date('2026-11-24T12:00:00Z'), ny)?.toISOString(), '2026-11-24T14:00:00.000Z'); // same morning
  });

  it('tells the customer when to expect a person', () => {
    assert.match(handoffNotice(new Date('2026-11-24T15:00:00Z'), ny, 3600), /within 1 hour/);
    assert.match(handoffNotice(new Date('2026-11-28T15:00:00Z'), ny, 3600), /away right now.*Monday/);
  });
});
