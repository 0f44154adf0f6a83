import { canAdminister } from '../auth/access';
import type { Principal } from '../auth/principal';

/** The class's own trainer, an admin of its society, or a super_admin: who sees its bookings and marks attendance. */
export const staffsClass = (
  principal: Principal,
  cls: { readonly societyId: string; readonly trainerId: string | null },
): boolean =>
  (principal.role === 'trainer' && cls.trainerId === principal.userId) ||
  canAdminister(principal, cls.societyId);
