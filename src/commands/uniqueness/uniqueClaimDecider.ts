import type { Decider } from '../handling/decider';
import { refuse } from '../handling/decider';
import type { UniqueClaimEvent } from '../../events/uniqueness/uniqueClaimEvents';

export type UniqueClaimCommand =
  | { type: 'ClaimUniqueValue'; owner: string; kind: string }
  | { type: 'ReleaseUniqueValue'; owner: string; kind: string };

export interface UniqueClaimState {
  owner: string | undefined;
}

export const uniqueClaimDecider: Decider<UniqueClaimState, UniqueClaimCommand, UniqueClaimEvent> = {
  initialState: () => ({ owner: undefined }),
  evolve: (_state, event) => ({ owner: event.type === 'UniqueValueClaimed' ? event.data.owner : undefined }),
  decide: (command, state) => {
    switch (command.type) {
      case 'ClaimUniqueValue':
        if (state.owner === command.owner) return [];
        if (state.owner !== undefined) {
          const what = command.kind.replace(/-/g, ' ');
          return refuse(
            `${command.kind}-taken`,
            409,
            `This ${what} is already taken`,
            `Another record already holds this ${what}. Choose another one (or, if it is yours, sign in or edit that record).`,
          );
        }
        return [{ type: 'UniqueValueClaimed', data: { owner: command.owner, kind: command.kind } }];
      case 'ReleaseUniqueValue':
        // Only the owner lets go; a stale release (someone else owns it now) changes nothing.
        if (state.owner !== command.owner) return [];
        return [{ type: 'UniqueValueReleased', data: { owner: command.owner, kind: command.kind } }];
    }
  },
};
