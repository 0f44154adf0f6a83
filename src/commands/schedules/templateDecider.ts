import { refuse, type Decider, type Refusal } from '../handling/decider';
import type { ScheduleTemplateEvent, TemplateDetails } from '../../events/schedules/scheduleTemplateEvents';

export interface ScheduleTemplate extends TemplateDetails {
  readonly templateId: string;
}

export type TemplateCommand =
  | {
      type: 'AddTemplate';
      societyId: string;
      templateId: string;
      details: TemplateDetails;
      addedBy: string | null;
      /** The society's `max_members_per_event` as its stream shows it now. */
      societyMaxMembersPerEvent: number;
    }
  | {
      type: 'ChangeTemplate';
      societyId: string;
      templateId: string;
      changes: Partial<TemplateDetails>;
      societyMaxMembersPerEvent: number;
    }
  | { type: 'RemoveTemplate'; societyId: string; templateId: string; removedBy: string | null };

export interface TemplateSetState {
  /** Live templates by id, in the order they were added. */
  readonly templates: ReadonlyMap<string, ScheduleTemplate>;
  /** Removed ids stay known, so a removed template is never silently revived under the same id. */
  readonly removed: ReadonlySet<string>;
}

export const templateNotFound = (templateId: string) =>
  refuse('schedule-template-not-found', 404, 'Schedule template not found', `No template ${templateId}`);

const detailsProblem = (d: TemplateDetails, societyLimit: number): Refusal | null => {
  if (!(Number.isInteger(d.start) && Number.isInteger(d.end) && d.start >= 0 && d.end <= 1440))
    return refuse('invalid-class-times', 400, 'Class times fall within one day');
  if (d.end <= d.start)
    return refuse('invalid-class-times', 400, 'A class ends after it starts, on the same day');
  if (!Number.isInteger(d.maxMembers) || d.maxMembers < 1)
    return refuse('invalid-max-members', 400, 'max_members is a whole number of at least 1');
  if (d.maxMembers > societyLimit)
    return refuse(
      'capacity-above-society-limit',
      422,
      'More seats than the society allows per class',
      `max_members ${d.maxMembers} is above the society's max_members_per_event ${societyLimit}`,
      { max_members_per_event: societyLimit },
    );
  return null;
};

/**
 * A society's set of weekly templates: one stream per society, so the set is decided as a
 * whole (ids unique, removed ids not reused). Capacity is checked against the society's limit
 * when a template is written; the generator clamps again, as the limit may have dropped since.
 */
export const templateDecider: Decider<TemplateSetState, TemplateCommand, ScheduleTemplateEvent> = {
  initialState: () => ({ templates: new Map(), removed: new Set() }),
  evolve: (state, event) => {
    const templates = new Map(state.templates);
    switch (event.type) {
      case 'ScheduleTemplateAdded': {
        const { societyId: _s, addedBy: _a, ...template } = event.data;
        templates.set(template.templateId, template);
        return { ...state, templates };
      }
      case 'ScheduleTemplateChanged': {
        const current = templates.get(event.data.templateId);
        if (current) templates.set(current.templateId, { ...current, ...event.data.changes });
        return { ...state, templates };
      }
      case 'ScheduleTemplateRemoved':
        templates.delete(event.data.templateId);
        return { templates, removed: new Set([...state.removed, event.data.templateId]) };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'AddTemplate': {
        if (state.templates.has(command.templateId) || state.removed.has(command.templateId))
          return refuse('schedule-template-exists', 409, 'This schedule template already exists');
        const problem = detailsProblem(command.details, command.societyMaxMembersPerEvent);
        if (problem) return problem;
        return [
          {
            type: 'ScheduleTemplateAdded',
            data: {
              societyId: command.societyId,
              templateId: command.templateId,
              addedBy: command.addedBy,
              ...command.details,
            },
          },
        ];
      }
      case 'ChangeTemplate': {
        const current = state.templates.get(command.templateId);
        if (!current) return templateNotFound(command.templateId);
        const defined = Object.fromEntries(
          Object.entries(command.changes).filter(([, v]) => v !== undefined),
        ) as Partial<TemplateDetails>;
        const { templateId: _id, ...currentDetails } = current;
        const problem = detailsProblem({ ...currentDetails, ...defined }, command.societyMaxMembersPerEvent);
        if (problem) return problem;
        const changes = Object.fromEntries(
          Object.entries(defined).filter(([k, v]) => currentDetails[k as keyof TemplateDetails] !== v),
        );
        if (Object.keys(changes).length === 0) return [];
        return [
          {
            type: 'ScheduleTemplateChanged',
            data: { societyId: command.societyId, templateId: command.templateId, changes },
          },
        ];
      }
      case 'RemoveTemplate':
        if (!state.templates.has(command.templateId)) {
          return state.removed.has(command.templateId) ? [] : templateNotFound(command.templateId);
        }
        return [
          {
            type: 'ScheduleTemplateRemoved',
            data: {
              societyId: command.societyId,
              templateId: command.templateId,
              removedBy: command.removedBy,
            },
          },
        ];
    }
  },
};
