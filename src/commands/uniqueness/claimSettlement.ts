/**
 * How the uniqueness reconciler settles a claim left behind by reserve → act → compensate
 * (saga.ts, docs/architecture.md "Rules across streams"). A claim is left behind when the act's
 * outcome was uncertain (a dropped connection: it may have committed), when the act was refused
 * but giving the claim back failed, or when the process died between reserve and act.
 *
 * What settles it is whether the owner got recorded (e.g. the user stream has the UserRegistered
 * the claim was made for). Every act appends under the command id the claim was made for (or a
 * step of it, `<commandId>:<step>`), so an event of that command outside the claim streams says
 * so. A retry under another command id finds the claim already its owner's and appends nothing to
 * it, so any event in a stream named for the owner after the claim counts too: erring towards
 * keeping costs a value locked to its owner, erring towards releasing hands a taken value to a
 * second owner. Nothing of the owner after a grace period means the act never happened, and the
 * value goes back so it can be used again. The claim model has no "confirmed" state, so a kept
 * claim simply stays as it is.
 */

/** Longer than any request carrying a saga can take: a claim younger than this may still be acted on. */
export const DEFAULT_CLAIM_GRACE_MS = 10 * 60_000;

/** A claim as the reconciler found it in the log. */
export interface OpenClaim {
  readonly streamId: string;
  readonly kind: string;
  readonly owner: string;
  /** The claim's own revision in its stream: a release is only made against this very claim. */
  readonly revision: number;
  readonly claimedAt: Date;
  /** The command the claim was made for; undefined when the claim does not say (never released). */
  readonly actCommandId: string | undefined;
}

/** `keep`: the owner was recorded; `wait`: still within the grace period; `release`: the act never happened. */
export type ClaimSettlement = 'keep' | 'wait' | 'release';

export const settleClaim = (
  claim: Pick<OpenClaim, 'claimedAt' | 'actCommandId'>,
  facts: { readonly ownerRecorded: boolean },
  now: Date,
  graceMs: number = DEFAULT_CLAIM_GRACE_MS,
): ClaimSettlement => {
  if (facts.ownerRecorded) return 'keep';
  // A claim we cannot tie to its command is never given away: a wrong release hands a taken value out.
  if (claim.actCommandId === undefined) return 'keep';
  return now.getTime() - claim.claimedAt.getTime() < graceMs ? 'wait' : 'release';
};

/** How a claim made again by a retry marks its command id, followed by the revision it follows. */
export const CLAIMED_AGAIN = ':again-after-';

/**
 * The command a claim was made for: claims are appended as `<commandId>:claim:<claim stream>`, or
 * `…:again-after-<revision>` when a retry claims a value given back meanwhile (uniqueClaims.ts), so
 * the part before `:claim:<claim stream>` is the act's command id.
 */
export const actCommandIdOf = (claimCommandId: unknown, streamId: string): string | undefined => {
  if (typeof claimCommandId !== 'string') return undefined;
  const marker = `:claim:${streamId}`;
  const at = claimCommandId.lastIndexOf(marker);
  if (at < 0) return undefined;
  const rest = claimCommandId.slice(at + marker.length);
  const again = rest.startsWith(CLAIMED_AGAIN) && /^\d+$/.test(rest.slice(CLAIMED_AGAIN.length));
  return rest === '' || again ? claimCommandId.slice(0, at) : undefined;
};

/**
 * The command ids an event may have been appended for, itself and every `:`-prefix of it: an act
 * made of steps appends under `<commandId>:<step>` (e.g. a payment's `:InitiatePayment`).
 */
export const commandIdsCovering = (commandId: string): string[] => {
  const ids = [commandId];
  for (let i = commandId.indexOf(':'); i > 0; i = commandId.indexOf(':', i + 1)) {
    ids.push(commandId.slice(0, i));
  }
  return ids;
};

/**
 * The owner ids a stream may be named for: every suffix after a `-` (`user-<id>`,
 * `member-subscriptions-<id>`; ids themselves may contain `-`).
 */
export const ownerIdsNaming = (streamId: string): string[] => {
  const ids: string[] = [];
  for (let i = streamId.indexOf('-'); i >= 0; i = streamId.indexOf('-', i + 1)) {
    ids.push(streamId.slice(i + 1));
  }
  return ids;
};
