import {
  actCommandIdOf,
  commandIdsCovering,
  DEFAULT_CLAIM_GRACE_MS,
  ownerIdsNaming,
  settleClaim,
} from '../../../src/commands/uniqueness/claimSettlement';

const claimedAt = new Date('2026-03-02T10:00:00Z');
const after = (ms: number) => new Date(claimedAt.getTime() + ms);

describe('settling a uniqueness claim left behind', () => {
  it('keeps a claim whose owner was recorded, however old', () => {
    expect(settleClaim({ claimedAt, actCommandId: 'c1' }, { ownerRecorded: true }, after(86_400_000))).toBe(
      'keep',
    );
  });

  it('waits within the grace period: the act may still be on its way', () => {
    expect(
      settleClaim(
        { claimedAt, actCommandId: 'c1' },
        { ownerRecorded: false },
        after(DEFAULT_CLAIM_GRACE_MS - 1),
      ),
    ).toBe('wait');
  });

  it('releases once the grace period is over and the owner was never recorded', () => {
    expect(
      settleClaim({ claimedAt, actCommandId: 'c1' }, { ownerRecorded: false }, after(DEFAULT_CLAIM_GRACE_MS)),
    ).toBe('release');
  });

  it('never releases a claim it cannot tie to its command', () => {
    expect(
      settleClaim({ claimedAt, actCommandId: undefined }, { ownerRecorded: false }, after(86_400_000)),
    ).toBe('keep');
  });

  it('reads the act command id off the claim command id', () => {
    expect(actCommandIdOf('cmd:1:claim:unique-email-ab', 'unique-email-ab')).toBe('cmd:1');
    expect(actCommandIdOf('cmd:1:claim:unique-email-ab', 'unique-phone-cd')).toBeUndefined();
    expect(actCommandIdOf(undefined, 'unique-email-ab')).toBeUndefined();
    // Claimed again by a retry after the value was given back.
    expect(actCommandIdOf('cmd:1:claim:unique-email-ab:again-after-1', 'unique-email-ab')).toBe('cmd:1');
    expect(actCommandIdOf('cmd:1:claim:unique-email-ab:other', 'unique-email-ab')).toBeUndefined();
  });

  it('matches the steps of a command and streams named for an owner', () => {
    expect(commandIdsCovering('pay-1:InitiatePayment')).toEqual(['pay-1:InitiatePayment', 'pay-1']);
    expect(ownerIdsNaming('member-subscriptions-3f-9a')).toEqual(['subscriptions-3f-9a', '3f-9a', '9a']);
  });
});
