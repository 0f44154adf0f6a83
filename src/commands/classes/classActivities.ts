import { streams } from '../../events/streams';
import type { Activity, ClassEvent } from '../../events/classes/classEvents';
import type { CommandHandler, CommandMetadata, CommandOutcome } from '../handling/commandHandler';
import { classDecider, type ActivityChanges } from './classDecider';

/** A class's activities, added or changed (the class decider orders them). */
export const addClassActivity = (
  commands: CommandHandler,
  input: { classId: string; activity: Activity; order?: number },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> =>
  commands.handle(
    streams.class(input.classId),
    classDecider,
    { type: 'AddActivity', activity: input.activity, order: input.order },
    metadata,
  );

export const changeClassActivity = (
  commands: CommandHandler,
  input: { classId: string; activityId: string; changes: ActivityChanges; order?: number },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> =>
  commands.handle(
    streams.class(input.classId),
    classDecider,
    { type: 'ChangeActivity', activityId: input.activityId, changes: input.changes, order: input.order },
    metadata,
  );
