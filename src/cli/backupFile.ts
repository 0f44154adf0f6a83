import { z } from 'zod';

/**
 * The backup file (docs/operations.md, "Backup and restore"). One gzip stream holding:
 *
 *   MAGIC                                    "ARCFIT-EVENT-STORE-BACKUP\n"
 *   frame(header)                            JSON, BackupHeader below
 *   for each header.tables[i], in order:
 *     frame(chunk)…                          the table's `COPY … TO STDOUT (FORMAT csv)` output
 *     END_OF_TABLE                           a frame of length 0
 *
 * A frame is a 4-byte big-endian length and that many bytes. Frames let a table's rows stream
 * through without holding a table in memory or escaping anything; gzip adds compression and a
 * CRC, so a damaged or truncated file fails to read instead of restoring part of a log.
 */
export const MAGIC = Buffer.from('ARCFIT-EVENT-STORE-BACKUP\n', 'utf8');
export const FORMAT_VERSION = 1;

/** The first bytes of a pg_dump custom-format file: what `backup` wrote before this format. */
export const PG_DUMP_MAGIC = Buffer.from('PGDMP', 'ascii');

export const backupHeaderSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  createdAt: z.string(),
  /** `SHOW server_version` of the source: for the operator, nothing depends on it. */
  sourceServerVersion: z.string(),
  /** The highest events.transaction_id in the file (xid8 as text), null when there are no events. */
  highestTransactionId: z
    .string()
    .regex(/^\d{1,20}$/)
    .nullable(),
  copyFormat: z.literal('csv'),
  tables: z.array(
    z.object({
      name: z.string(),
      /** The columns in the order the rows hold them; restore copies into exactly these. */
      columns: z.array(z.string()).min(1),
      rows: z.number().int().nonnegative(),
    }),
  ),
});
export type BackupHeader = z.infer<typeof backupHeaderSchema>;
export type BackedUpTable = BackupHeader['tables'][number];

const MAX_HEADER_BYTES = 1024 * 1024;

/** The length prefix of a frame. */
export const frameLength = (length: number): Buffer => {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(length);
  return prefix;
};

export const END_OF_TABLE = frameLength(0);

/** One chunk as a frame; an empty chunk is skipped (a frame of length 0 ends a table). */
export function* framed(chunk: Buffer): Generator<Buffer> {
  if (chunk.length === 0) return;
  yield frameLength(chunk.length);
  yield chunk;
}

export const headerFrame = (header: BackupHeader): Buffer[] => {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  return [frameLength(json.length), json];
};

/** zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR…) mean a damaged or cut-off file. */
const unreadable = (error: NodeJS.ErrnoException): never => {
  if (error.code?.startsWith('Z_'))
    throw new Error(`the backup file is damaged or incomplete (${error.message}): nothing was restored`);
  throw error;
};

/** Reads exact byte counts from a stream of chunks (the gunzipped file). */
export class ByteReader {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  async read(length: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0);
    while (this.pendingBytes < length) {
      const next = await this.source.next().catch(unreadable);
      if (next.done) throw new Error('the backup file ends early: it is incomplete (copy it again)');
      this.pending.push(next.value);
      this.pendingBytes += next.value.length;
    }
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending.length = 0;
    const rest = all.subarray(length);
    if (rest.length > 0) this.pending.push(rest);
    this.pendingBytes = rest.length;
    return all.subarray(0, length);
  }

  /** Stops reading: the file is closed even when a refusal comes before its end. */
  async close(): Promise<void> {
    await this.source.return?.();
  }

  async readFrame(maxLength = Number.MAX_SAFE_INTEGER): Promise<Buffer> {
    const length = (await this.read(4)).readUInt32BE(0);
    if (length > maxLength) throw new Error(`a frame of ${length} bytes where at most ${maxLength} fit`);
    return this.read(length);
  }
}

/** One table's rows, chunk by chunk, up to its END_OF_TABLE frame. */
export async function* tableChunks(reader: ByteReader): AsyncGenerator<Buffer> {
  for (;;) {
    const chunk = await reader.readFrame();
    if (chunk.length === 0) return;
    yield chunk;
  }
}

const notABackup = 'not a backup written by `backup` (ArcFit event-store backup format)';

/** Checks the magic and reads the header; the reader is then at the first table's rows. */
export const readHeader = async (reader: ByteReader): Promise<BackupHeader> => {
  const magic = await reader.read(MAGIC.length).catch(() => Buffer.alloc(0));
  if (!magic.equals(MAGIC)) throw new Error(notABackup);
  let json: unknown;
  try {
    json = JSON.parse((await reader.readFrame(MAX_HEADER_BYTES)).toString('utf8'));
  } catch (error) {
    throw new Error(`${notABackup}: its header does not read (${(error as Error).message})`);
  }
  const parsed = backupHeaderSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== FORMAT_VERSION)
    throw new Error(
      `backup format version ${version}; this version of ArcFit reads version ${FORMAT_VERSION}: ` +
        'restore with the ArcFit version that wrote it',
    );
  throw new Error(`${notABackup}: its header is not valid (${parsed.error.issues[0]?.message})`);
};
