import type { ProjectionDefinition } from './engine/projection';
import { usersProjection } from './identity/usersProjection';
import { societiesProjection } from './societies/societiesProjection';
import { societyAdminsProjection } from './societies/societyAdminsProjection';

/** Every read model the service keeps, in one list the engine and the rebuild CLI share. */
export const allProjections: readonly ProjectionDefinition[] = [
  societiesProjection,
  societyAdminsProjection,
  usersProjection,
];
