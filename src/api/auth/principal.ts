import type { Role } from '../../events/identity/userEvents';

/** Who is calling, as of this request: read from the read model, not trusted from the token. */
export interface Principal {
  userId: string;
  role: Role;
  /** Societies this user administers now. */
  societies: readonly string[];
  /**
   * The society the user belongs to (their user row's, read with the rest of the principal), null
   * for none. Absent where a principal is made without that read; then a route reads the user.
   */
  ownSociety?: string | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- express's request type is extended this way
  namespace Express {
    interface Request {
      principal?: Principal;
      /** Why a presented token was not accepted (only matters on routes that need one). */
      authFailure?: 'invalid-token' | 'inactive-user';
    }
  }
}
