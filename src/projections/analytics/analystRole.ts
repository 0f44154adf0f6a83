/** The PostgreSQL role analysts' logins are granted (CLI `create-analyst-login`); it can only read. */
export const ANALYST_ROLE = 'arcfit_analyst';
