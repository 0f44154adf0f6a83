import type { PlanTerms } from '../../events/billing/planEvents';
import { streams } from '../../events/streams';
import type { CommandHandler, CommandMetadata } from '../handling/commandHandler';
import { releaseUniqueValue, withUniqueClaim } from '../uniqueness/uniqueClaims';
import { billingStreams } from './billingStreams';
import { planDecider } from './planDecider';

const nameClaim = (societyId: string | null, name: string, planId: string) => ({
  streamId: billingStreams.planName(societyId, name),
  kind: 'plan-name',
  owner: planId,
});

/** Claim the name within the society, then record the plan; a refusal gives the name back. */
export const createPlan = (
  commands: CommandHandler,
  input: PlanTerms & { planId: string; societyId: string | null; createdBy: string },
  metadata: CommandMetadata,
) =>
  withUniqueClaim(commands, nameClaim(input.societyId, input.name, input.planId), metadata, () =>
    commands.handle(streams.plan(input.planId), planDecider, { type: 'CreatePlan', ...input }, metadata),
  );

/** A new name is claimed before the change and the old one let go after it is recorded. */
export const changePlan = async (
  commands: CommandHandler,
  input: { planId: string; changes: Partial<PlanTerms> },
  metadata: CommandMetadata,
) => {
  const { state } = await commands.load(streams.plan(input.planId), planDecider);
  const change = () =>
    commands.handle(streams.plan(input.planId), planDecider, { type: 'ChangePlan', ...input }, metadata);
  const newName =
    state.exists &&
    input.changes.name !== undefined &&
    input.changes.name.trim().toLowerCase() !== state.terms.name.trim().toLowerCase()
      ? input.changes.name
      : undefined;
  if (!state.exists || newName === undefined) return change();
  const outcome = await withUniqueClaim(
    commands,
    nameClaim(state.societyId, newName, input.planId),
    metadata,
    change,
  );
  const old = nameClaim(state.societyId, state.terms.name, input.planId);
  await releaseUniqueValue(commands, old.streamId, old.kind, old.owner, metadata);
  return outcome;
};

export const retirePlan = (
  commands: CommandHandler,
  input: { planId: string; retiredBy: string },
  metadata: CommandMetadata,
) => commands.handle(streams.plan(input.planId), planDecider, { type: 'RetirePlan', ...input }, metadata);

export const loadPlan = async (commands: CommandHandler, planId: string) =>
  (await commands.load(streams.plan(planId), planDecider)).state;
