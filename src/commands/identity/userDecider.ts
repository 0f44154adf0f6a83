import type { UserEvent, UserRegistered } from '../../events/identity/userEvents';
import { refuse, type Decider } from '../handling/decider';

export type UserCommand =
  | { type: 'RegisterUser'; registration: UserRegistered['data'] }
  | { type: 'VerifyPhone'; userId: string; phoneNumber: string }
  | { type: 'DeactivateUser'; userId: string; reason: string | null }
  | { type: 'ReactivateUser'; userId: string; reason: string | null };

export type UserState =
  | { registered: false }
  | { registered: true; active: boolean; phoneNumber: string | null; phoneVerified: boolean };

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  initialState: () => ({ registered: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'UserRegistered':
        return { registered: true, active: true, phoneNumber: event.data.phoneNumber, phoneVerified: false };
      case 'PhoneVerified':
        return state.registered ? { ...state, phoneVerified: true } : state;
      case 'UserDeactivated':
        return state.registered ? { ...state, active: false } : state;
      case 'UserReactivated':
        return state.registered ? { ...state, active: true } : state;
    }
  },
  decide: (command, state) => {
    if (command.type === 'RegisterUser') {
      if (state.registered) return refuse('user-exists', 409, 'This account already exists');
      return [{ type: 'UserRegistered', data: command.registration }];
    }
    if (!state.registered) return refuse('user-not-found', 404, 'User not found');
    switch (command.type) {
      case 'VerifyPhone':
        if (state.phoneVerified && state.phoneNumber === command.phoneNumber) return [];
        return [
          { type: 'PhoneVerified', data: { userId: command.userId, phoneNumber: command.phoneNumber } },
        ];
      case 'DeactivateUser':
        return state.active
          ? [{ type: 'UserDeactivated', data: { userId: command.userId, reason: command.reason } }]
          : [];
      case 'ReactivateUser':
        return state.active
          ? []
          : [{ type: 'UserReactivated', data: { userId: command.userId, reason: command.reason } }];
    }
  },
};
