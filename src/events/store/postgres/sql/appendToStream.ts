export const APPEND_TO_STREAM = `SELECT outcome, last_revision, transaction_id::text AS transaction_id, global_position
  FROM append_to_stream($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[])`;
