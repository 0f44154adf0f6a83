import { say } from './output';
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { ALONE_HEAP_BOUND_BYTES, continueChainVerification } from '../commands/audit/chainVerification';
import { erasePerson } from '../commands/audit/erasePerson';
import { createAuditor } from '../commands/audit/createAuditor';
import { storedForm } from '../events/store/personalData/protectedEventStore';
import { formatPosition, START } from '../events/store/position';
import { allProjections } from '../projections';
import { verifyReplay } from '../projections/engine/replayVerification';
import { toFact } from '../api/audit/auditRoutes';
import { fail, withServices } from './operatorServices';
import { progressBar } from './progress';

const countEvents = async (knex: import('knex').Knex): Promise<number> =>
  Number(
    (await knex.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM events')).rows[0]?.n ?? 0,
  );

export const registerAuditCommands = (program: Command): void => {
  program
    .command('verify-chain')
    .description(
      'check every stream’s hash chain, continuing from the last verified position (as the hourly job does); exit 1 naming the first broken link of each stream',
    )
    .option('--from-start', 'walk the whole log again (finds rewrites of events checked before)')
    .action((options: { fromStart?: boolean }) =>
      withServices(async ({ store, database }) => {
        const bar = progressBar('verify-chain', await countEvents(database.knex));
        const status = await continueChainVerification(storedForm(store), database.knex, {
          fromStart: options.fromStart,
          onProgress: bar.update,
          // This process does nothing else: its heap may be kept small at the cost of pauses.
          heap: { boundBytes: ALONE_HEAP_BOUND_BYTES },
        });
        bar.stop();
        say(
          JSON.stringify(
            {
              ok: status.brokenLinks.length === 0,
              ...status,
              verifiedThrough: formatPosition(status.verifiedThrough),
            },
            null,
            2,
          ),
        );
        if (status.brokenLinks.length > 0)
          fail(
            `${status.brokenLinks.length} broken chain(s); first: ${JSON.stringify(status.brokenLinks[0])}`,
          );
      }),
    );

  program
    .command('verify-replay')
    .description(
      'rebuild every projection from zero into a shadow schema and compare it row by row with the live tables',
    )
    .option('--keep-shadow', 'keep the shadow schema replay_verification for inspection')
    .option(
      '--timeout <seconds>',
      'how long to wait for live projections to reach the replayed position',
      '30',
    )
    .action((options: { keepShadow?: boolean; timeout: string }) =>
      withServices(async ({ store, database }) => {
        const report = await verifyReplay(database.knex, store, allProjections, {
          keepShadow: options.keepShadow,
          timeoutMs: Number(options.timeout) * 1000,
        });
        for (const p of report.projections) {
          const detail =
            p.outcome === 'equal'
              ? `${p.tables} table(s) equal`
              : p.outcome === 'differs'
                ? p.differences
                    .map((d) => `${d.table}: ${d.missingFromLive} missing, ${d.unexpectedInLive} unexpected`)
                    .join('; ')
                : p.reason;
          say(`${p.outcome.padEnd(12)} ${p.name}_v${p.version}  ${detail}`);
        }
        say(`replayed ${report.eventsReplayed} events up to ${report.position}`);
        if (!report.ok) {
          say(
            JSON.stringify(
              report.projections.filter((p) => p.outcome !== 'equal'),
              null,
              2,
            ),
          );
          fail('replay differs from the live read tables');
        }
      }),
    );

  program
    .command('export-events')
    .description(
      'every stored event (ciphertext and hash as stored) as NDJSON, for offline replay and verification',
    )
    .option('--type <types>', 'comma-separated event types')
    .option('--stream <id>', 'a stream id, or a prefix ending in *')
    .option('--society <id>', 'events whose data names this society')
    .option('--from <iso>', 'recorded at or after')
    .option('--to <iso>', 'recorded before')
    .option('--out <file>', 'write here instead of stdout')
    .action(
      (o: { type?: string; stream?: string; society?: string; from?: string; to?: string; out?: string }) =>
        withServices(async ({ store }) => {
          const types = o.type ? new Set(o.type.split(',').map((s) => s.trim())) : undefined;
          const from = o.from ? new Date(o.from).getTime() : -Infinity;
          const to = o.to ? new Date(o.to).getTime() : Infinity;
          const streamMatches = (id: string) =>
            !o.stream || (o.stream.endsWith('*') ? id.startsWith(o.stream.slice(0, -1)) : id === o.stream);
          const out = o.out ? createWriteStream(o.out) : process.stdout;
          const stored = storedForm(store);
          let written = 0;
          for (let after = START; ;) {
            const page = await stored.readAll({ after, maxCount: 5000 });
            for (const e of page) {
              const at = e.createdAt.getTime();
              if (types && !types.has(e.type)) continue;
              if (!streamMatches(e.streamId) || at < from || at >= to) continue;
              if (o.society && (e.data as { societyId?: unknown } | null)?.societyId !== o.society) continue;
              if (!out.write(`${JSON.stringify(toFact(e))}\n`))
                await new Promise<void>((resolve) => out.once('drain', () => resolve()));
              written += 1;
            }
            if (page.length < 5000) break;
            after = page[page.length - 1]!.position;
          }
          if (o.out)
            await new Promise<void>((resolve) =>
              (out as ReturnType<typeof createWriteStream>).end(() => resolve()),
            );
          console.error(`exported ${written} events`);
        }),
    );

  program
    .command('create-auditor')
    .description('create a read-only auditor account (history, audit trail, hash chains)')
    .requiredOption('--email <email>')
    .requiredOption('--password <password>', 'at least 12 characters')
    .option('--name <name>', 'display name', 'Auditor')
    .action((o: { email: string; password: string; name: string }) => {
      if (o.password.length < 12) return fail('the password needs at least 12 characters', 2);
      return withServices(async ({ commands }) => {
        const created = await createAuditor(commands, o, { actor: { id: 'system', role: 'system' } });
        say(created.replayed ? `${created.email} already exists` : `auditor ${created.email} created`);
      });
    });

  program
    .command('erase-person <id>')
    .description(
      'erase a person (user, member or trainer id): delete their data key, scrub their details everywhere',
    )
    .action((id: string) =>
      withServices(async ({ store, database, waiter }) => {
        const outcome = await erasePerson(
          { knex: database.knex, store, waitForReadSide: (p) => waiter.waitFor(p, 30_000) },
          id,
          null,
        );
        say(JSON.stringify(outcome, null, 2));
        if (!outcome.readSideCaughtUp)
          fail('the read side did not catch up within 30 s: run the worker, then verify-replay');
      }),
    );
};
