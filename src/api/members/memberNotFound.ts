import { HttpProblem } from '../http/errorHandler';

/**
 * No such member, or none the caller may see: both answer the same 404, so a caller outside the
 * society cannot tell a member exists.
 */
export const memberNotFound = (id: string) =>
  new HttpProblem(404, 'member-not-found', 'Member not found', `No member ${id}`);
