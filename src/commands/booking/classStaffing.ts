import { streams } from '../../events/streams';
import { classDecider } from '../classes/classDecider';
import type { CommandHandler } from '../handling/commandHandler';

/** Who runs a class: an admin of its society, and its trainer (none while unassigned). */
export interface ClassStaffing {
  readonly societyId: string;
  readonly trainerId: string | null;
}

/**
 * A class's society and trainer as its stream has them now (not the class facts cache: a trainer
 * reassigned a moment ago, on any replica, must not keep the rights of the one before).
 */
export const loadClassStaffing = async (
  commands: CommandHandler,
  classId: string,
): Promise<ClassStaffing | undefined> => {
  const { state } = await commands.load(streams.class(classId), classDecider);
  return state.exists ? { societyId: state.societyId, trainerId: state.trainerId } : undefined;
};
