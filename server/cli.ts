// The `hookscope` command. Each command's code is loaded only when that command runs (the
// compiled bundle splits them into chunks), so `hookscope --help` and `hookscope forward` start
// without loading the server.

const COMMANDS = `usage: hookscope <command> [options]

commands:
  serve      receive webhooks and serve the inspector
  forward    deliver an endpoint's captures to a local URL (hookscope forward --help)
  migrate    copy a lowdb data folder into PostgreSQL (hookscope migrate --help)
  check      verify a store's records and repair a damaged data folder (hookscope check --help)
`;

const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h');

async function usage(): Promise<string> {
  const { describeOptions } = await import('./config');
  return `${COMMANDS}\noptions of serve (each also an environment variable):\n${describeOptions()}\n`;
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === 'serve') {
    if (wantsHelp(rest)) return void process.stdout.write(await usage());
    const { serveCommand } = await import('./serve-command');
    return serveCommand(rest);
  }
  if (command === 'forward') {
    if (wantsHelp(rest)) return void process.stdout.write(`${(await import('./forward/cli-options')).FORWARD_USAGE}\n`);
    const { forwardCommand } = await import('./forward/cli-command');
    return forwardCommand(rest, process.env).then(() => process.exit(0));
  }
  if (command === 'migrate') {
    const { MIGRATE_USAGE, runMigrateCommand } = await import('./store/postgres/migrate-command');
    if (wantsHelp(rest)) return void process.stdout.write(`${MIGRATE_USAGE}\n`);
    const { createLogger } = await import('./logging/logger');
    await runMigrateCommand(rest, createLogger({ level: 'info', format: 'auto' }));
    return;
  }
  if (command === 'check') {
    const { CHECK_USAGE, runCheckCommand } = await import('./store/check-command');
    if (wantsHelp(rest)) return void process.stdout.write(`${CHECK_USAGE}\n`);
    process.exitCode = await runCheckCommand(rest, (text) => process.stdout.write(`${text}\n`));
    return;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(await usage());
    return;
  }
  process.stderr.write(`unknown command "${command}"\n\n${await usage()}`);
  process.exitCode = 2;
}

/** Errors a person can act on from their message alone are shown without a stack. */
async function explain(error: unknown): Promise<string> {
  const { ConfigError } = await import('./config');
  const { CorruptDataError, DamagedStoreError, StoreUnavailableError } = await import('./errors');
  const { DataFolderInUseError } = await import('./store/data-lock');
  const known = [ConfigError, CorruptDataError, DamagedStoreError, StoreUnavailableError, DataFolderInUseError].some((kind) => error instanceof kind);
  if (known) return `hookscope: ${(error as Error).message}\n`;
  return `hookscope: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
}

main(process.argv.slice(2)).catch(async (error: unknown) => {
  process.stderr.write(await explain(error));
  process.exit(1);
});

export {}; // a module: benches import it to run the CLI in-process
