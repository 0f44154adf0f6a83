import type { Decider } from '../handling/decider';
import { refuse } from '../handling/decider';
import {
  DEFAULT_CANCELLATION_CUTOFF_MINUTES,
  DEFAULT_WEEKLY_BOOKING_LIMIT,
  type SocietyDetails,
  type SocietyEvent,
} from '../../events/societies/societyEvents';

export type SocietyCommand =
  | { type: 'RegisterSociety'; societyId: string; details: SocietyDetails; registeredBy: string | null }
  | { type: 'ChangeSocietyDetails'; societyId: string; changes: Partial<SocietyDetails> }
  | { type: 'GrantSocietyAdmin'; societyId: string; userId: string; grantedBy: string | null };

/** A society's details as they apply now: a booking setting never recorded holds its default. */
export type SocietySettings = SocietyDetails & {
  weeklyBookingLimit: number;
  cancellationCutoffMinutes: number;
};

export type SocietyState =
  { registered: false } | { registered: true; details: SocietySettings; admins: ReadonlySet<string> };

const notFound = (societyId: string) =>
  refuse('society-not-found', 404, 'Society not found', `No society ${societyId}`);

/**
 * Only what differs from the current details: an update that changes nothing records nothing
 * (setting a booking setting to the default a society already has included).
 */
const actualChanges = (
  current: SocietySettings,
  requested: Partial<SocietyDetails>,
): Partial<SocietyDetails> =>
  Object.fromEntries(
    Object.entries(requested).filter(
      ([key, value]) => value !== undefined && current[key as keyof SocietySettings] !== value,
    ),
  );

export const societyDecider: Decider<SocietyState, SocietyCommand, SocietyEvent> = {
  initialState: () => ({ registered: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'SocietyRegistered': {
        const { societyId: _id, registeredBy, ...details } = event.data;
        return {
          registered: true,
          details: {
            ...details,
            weeklyBookingLimit: details.weeklyBookingLimit ?? DEFAULT_WEEKLY_BOOKING_LIMIT,
            cancellationCutoffMinutes:
              details.cancellationCutoffMinutes ?? DEFAULT_CANCELLATION_CUTOFF_MINUTES,
          },
          admins: new Set(registeredBy ? [registeredBy] : []),
        };
      }
      case 'SocietyDetailsChanged':
        return state.registered ? { ...state, details: { ...state.details, ...event.data.changes } } : state;
      case 'SocietyAdminGranted':
        return state.registered ? { ...state, admins: new Set([...state.admins, event.data.userId]) } : state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterSociety':
        if (state.registered)
          return refuse(
            'society-exists',
            409,
            'Society already exists',
            `Society ${command.societyId} is already registered; read it with GET /societies/${command.societyId}.`,
          );
        return [
          {
            type: 'SocietyRegistered',
            data: { societyId: command.societyId, registeredBy: command.registeredBy, ...command.details },
          },
        ];
      case 'ChangeSocietyDetails': {
        if (!state.registered) return notFound(command.societyId);
        const changes = actualChanges(state.details, command.changes);
        if (Object.keys(changes).length === 0) return [];
        return [{ type: 'SocietyDetailsChanged', data: { societyId: command.societyId, changes } }];
      }
      case 'GrantSocietyAdmin':
        if (!state.registered) return notFound(command.societyId);
        if (state.admins.has(command.userId)) return [];
        return [
          {
            type: 'SocietyAdminGranted',
            data: { societyId: command.societyId, userId: command.userId, grantedBy: command.grantedBy },
          },
        ];
    }
  },
};
