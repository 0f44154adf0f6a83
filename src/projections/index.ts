import type { ProjectionDefinition } from './engine/projection';
import { societiesProjection } from './societies/societiesProjection';

/** Every read model the service keeps, in one list the engine and the rebuild CLI share. */
export const allProjections: readonly ProjectionDefinition[] = [societiesProjection];
