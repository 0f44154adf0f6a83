import { societyDecider } from '../../../src/commands/societies/societyDecider';
import type { SocietyDetails, SocietyEvent } from '../../../src/events/societies/societyEvents';
import { uniqueClaimDecider } from '../../../src/commands/uniqueness/uniqueClaimDecider';
import { deciderSpec } from '../../support/deciderSpec';

const societyId = '6a0f8a34-5f51-4d0c-9a43-8d1a5c2d7e11';
const details: SocietyDetails = {
  name: 'Green Park Residency',
  location: 'Sector 62, Noida',
  maxMembersPerEvent: 20,
  capacity: 300,
  timezone: 'Asia/Kolkata',
  latitude: 28.62,
  longitude: 77.36,
};
const registered: SocietyEvent = {
  type: 'SocietyRegistered',
  data: { societyId, registeredBy: null, ...details },
};
const spec = deciderSpec(societyDecider);

describe('society decider', () => {
  it('registers a new society with its details', () => {
    spec
      .given([])
      .when({ type: 'RegisterSociety', societyId, details, registeredBy: null })
      .then([registered]);
  });

  it('refuses to register a society twice', () => {
    spec
      .given([registered])
      .when({ type: 'RegisterSociety', societyId, details, registeredBy: null })
      .thenRefused('society-exists', 409);
  });

  it('records only the settings that actually change', () => {
    spec
      .given([registered])
      .when({
        type: 'ChangeSocietyDetails',
        societyId,
        changes: { maxMembersPerEvent: 15, location: details.location },
      })
      .then([{ type: 'SocietyDetailsChanged', data: { societyId, changes: { maxMembersPerEvent: 15 } } }]);
  });

  it('records nothing when a change changes nothing', () => {
    spec
      .given([registered])
      .when({ type: 'ChangeSocietyDetails', societyId, changes: { capacity: 300 } })
      .then([]);
  });

  it('folds earlier changes before deciding', () => {
    spec
      .given([registered, { type: 'SocietyDetailsChanged', data: { societyId, changes: { capacity: 500 } } }])
      .when({ type: 'ChangeSocietyDetails', societyId, changes: { capacity: 500 } })
      .then([]);
  });

  it('records the booking settings a society is registered with', () => {
    const withSettings = { ...details, weeklyBookingLimit: 2, cancellationCutoffMinutes: 180 };
    spec
      .given([])
      .when({ type: 'RegisterSociety', societyId, details: withSettings, registeredBy: null })
      .then([{ type: 'SocietyRegistered', data: { societyId, registeredBy: null, ...withSettings } }]);
  });

  it('gives a society registered before the booking settings existed their defaults', () => {
    expect(societyDecider.evolve(societyDecider.initialState(), registered)).toMatchObject({
      registered: true,
      details: { weeklyBookingLimit: 5, cancellationCutoffMinutes: 60 },
    });
  });

  it('records a booking setting that changes, and nothing for one set to the default it already has', () => {
    spec
      .given([registered])
      .when({
        type: 'ChangeSocietyDetails',
        societyId,
        changes: { weeklyBookingLimit: 5, cancellationCutoffMinutes: 180 },
      })
      .then([
        { type: 'SocietyDetailsChanged', data: { societyId, changes: { cancellationCutoffMinutes: 180 } } },
      ]);
    spec
      .given([
        registered,
        { type: 'SocietyDetailsChanged', data: { societyId, changes: { weeklyBookingLimit: 2 } } },
      ])
      .when({ type: 'ChangeSocietyDetails', societyId, changes: { weeklyBookingLimit: 2 } })
      .then([]);
  });

  it('refuses to change a society that does not exist', () => {
    spec
      .given([])
      .when({ type: 'ChangeSocietyDetails', societyId, changes: { capacity: 10 } })
      .thenRefused('society-not-found', 404);
  });
});

describe('unique value claim decider', () => {
  const claims = deciderSpec(uniqueClaimDecider);
  const claimed = { type: 'UniqueValueClaimed' as const, data: { owner: 'a', kind: 'society-name' } };

  it('gives an unclaimed value to the first claimant', () => {
    claims.given([]).when({ type: 'ClaimUniqueValue', owner: 'a', kind: 'society-name' }).then([claimed]);
  });

  it('refuses a value someone else holds', () => {
    claims
      .given([claimed])
      .when({ type: 'ClaimUniqueValue', owner: 'b', kind: 'society-name' })
      .thenRefused('society-name-taken', 409);
  });

  it('treats a repeated claim by the owner as done', () => {
    claims.given([claimed]).when({ type: 'ClaimUniqueValue', owner: 'a', kind: 'society-name' }).then([]);
  });

  it('lets a released value be claimed again', () => {
    claims
      .given([claimed, { type: 'UniqueValueReleased', data: { owner: 'a', kind: 'society-name' } }])
      .when({ type: 'ClaimUniqueValue', owner: 'b', kind: 'society-name' })
      .then([{ type: 'UniqueValueClaimed', data: { owner: 'b', kind: 'society-name' } }]);
  });

  it('ignores a release by someone who does not hold the value', () => {
    claims.given([claimed]).when({ type: 'ReleaseUniqueValue', owner: 'b', kind: 'society-name' }).then([]);
  });
});
