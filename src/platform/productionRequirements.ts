/** The settings a production process cannot do without, and what to tell an operator who forgot one. */
export interface ProductionSettings {
  readonly NODE_ENV?: string;
  readonly JWT_SECRET?: string;
  readonly DATABASE_URL?: string;
}

/**
 * What is missing for NODE_ENV=production, one sentence each (empty outside production).
 * Development may invent a JWT secret and start an embedded PostgreSQL in ./data; production may
 * not: its files are read-only, and each replica would invent a different secret, so a token one
 * replica signed would be refused by the next.
 */
export const missingForProduction = (settings: ProductionSettings): string[] => {
  if (settings.NODE_ENV !== 'production') return [];
  const missing: string[] = [];
  if (!settings.JWT_SECRET)
    missing.push(
      'JWT_SECRET is required when NODE_ENV=production (every replica must sign tokens with the same key); ' +
        'generate one with `openssl rand -base64 48` and give the same value to every API replica and the worker',
    );
  if (!settings.DATABASE_URL)
    missing.push(
      'DATABASE_URL is required when NODE_ENV=production (the embedded PostgreSQL is for development only), ' +
        'e.g. postgres://arcfit:<password>@db-host:5432/arcfit',
    );
  return missing;
};
