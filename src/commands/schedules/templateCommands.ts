import { streams } from '../../events/streams';
import type { ScheduleTemplateEvent, TemplateDetails } from '../../events/schedules/scheduleTemplateEvents';
import { loadSocietySettings } from '../classes/classCommandSteps';
import {
  CommandRefusedError,
  type CommandHandler,
  type CommandMetadata,
  type CommandOutcome,
} from '../handling/commandHandler';
import { trainerDecider, trainerNotFound } from '../trainers/trainerDecider';
import { templateDecider, type ScheduleTemplate } from './templateDecider';

/** A preferred trainer must be a trainer (whether they fit each week is the generator's question). */
const ensureTrainerExists = async (commands: CommandHandler, trainerId: string | null | undefined) => {
  if (!trainerId) return;
  const { state } = await commands.load(streams.trainer(trainerId), trainerDecider);
  if (!state.created) throw new CommandRefusedError(trainerNotFound(trainerId));
};

export const addScheduleTemplate = async (
  commands: CommandHandler,
  input: { societyId: string; templateId: string; details: TemplateDetails; addedBy: string | null },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ScheduleTemplateEvent>> => {
  const society = await loadSocietySettings(commands, input.societyId);
  await ensureTrainerExists(commands, input.details.preferredTrainerId);
  return commands.handle(
    streams.scheduleTemplates(input.societyId),
    templateDecider,
    { type: 'AddTemplate', ...input, societyMaxMembersPerEvent: society.maxMembersPerEvent },
    metadata,
  );
};

export const changeScheduleTemplate = async (
  commands: CommandHandler,
  input: { societyId: string; templateId: string; changes: Partial<TemplateDetails> },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ScheduleTemplateEvent>> => {
  const society = await loadSocietySettings(commands, input.societyId);
  await ensureTrainerExists(commands, input.changes.preferredTrainerId);
  return commands.handle(
    streams.scheduleTemplates(input.societyId),
    templateDecider,
    { type: 'ChangeTemplate', ...input, societyMaxMembersPerEvent: society.maxMembersPerEvent },
    metadata,
  );
};

export const removeScheduleTemplate = (
  commands: CommandHandler,
  input: { societyId: string; templateId: string; removedBy: string | null },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ScheduleTemplateEvent>> =>
  commands.handle(
    streams.scheduleTemplates(input.societyId),
    templateDecider,
    { type: 'RemoveTemplate', ...input },
    metadata,
  );

/** The society's live templates as its stream shows them now (what the generator plans from). */
export const loadScheduleTemplates = async (
  commands: CommandHandler,
  societyId: string,
): Promise<ScheduleTemplate[]> => {
  const { state } = await commands.load(streams.scheduleTemplates(societyId), templateDecider);
  return [...state.templates.values()];
};
