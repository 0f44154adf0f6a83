import { Command } from 'commander';
import { registerAuditCommands } from './cli/auditCommands';
import { registerBackupCommands } from './cli/backupCommands';
import { registerDemoDataCommand } from './cli/demoData';
import { registerProjectionCommands } from './cli/projectionCommands';
import { registerSetupCommands } from './cli/setupCommands';

/**
 * Operator commands: `npm run cli -- <command> --help`. They use the service's configuration
 * (DATABASE_URL or the embedded PostgreSQL, EVENT_STORE), and exit non-zero when a check fails.
 */
const program = new Command('arcfit')
  .description('ArcFit Roster operator commands')
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });
registerSetupCommands(program);
registerProjectionCommands(program);
registerAuditCommands(program);
registerDemoDataCommand(program);
registerBackupCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
