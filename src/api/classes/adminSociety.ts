import type { Principal } from '../auth/principal';
import { HttpProblem } from '../http/errorHandler';

/**
 * The society a request acts for when its body may leave it out (the spec's bodies do): the one
 * named, else the one society the admin administers. An admin of several, or a super_admin, has
 * to say which: the 422 names the choices.
 */
export const societyActedFor = (principal: Principal, named: string | undefined): string => {
  if (named) return named;
  const own = principal.societies;
  if (principal.role === 'society_admin' && own.length === 1) return own[0]!;
  throw new HttpProblem(
    422,
    'society-required',
    'Say which society',
    principal.role === 'society_admin' && own.length > 1
      ? `You administer ${own.length} societies (${own.join(', ')}): give society_id.`
      : 'Give society_id: the request names no society and you administer none.',
  );
};
