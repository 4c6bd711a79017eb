import { ConfigError, describeOptions, loadConfig } from './config';
import { CorruptDataError, DamagedStoreError, StoreUnavailableError } from './errors';
import { CHECK_USAGE, runCheckCommand } from './store/check-command';
import { DataFolderInUseError } from './store/data-lock';
import { startServer } from './serve';
import { forwardCommand } from './forward/cli-command';
import { FORWARD_USAGE } from './forward/cli-options';
import { MIGRATE_USAGE, runMigrateCommand } from './store/postgres/migrate-command';

const USAGE = `usage: hookscope <command> [options]

commands:
  serve      receive webhooks and serve the inspector
  forward    deliver an endpoint's captures to a local URL (hookscope forward --help)
  migrate    copy a lowdb data folder into PostgreSQL (hookscope migrate --help)
  check      verify a store's records and repair a damaged data folder (hookscope check --help)

options of serve (each also an environment variable):
${describeOptions()}
`;

async function serve(argv: string[]): Promise<void> {
  const config = loadConfig(argv, process.env);
  const server = await startServer({ config });
  if (config.store === 'postgres' && !config.token) {
    // Each instance would generate its own token: an inspector could only talk to one of them.
    console.warn('Several instances on one database need the same token: set HOOKSCOPE_TOKEN on each.');
  }
  const inspector = `${config.publicUrl ?? server.url}/#token=${encodeURIComponent(server.token)}`;
  console.log(`Hookscope listening on ${server.url} (store: ${server.store.description})`);
  console.log(`Send webhooks to ${config.publicUrl ?? server.url}/h/default`);
  console.log(`Inspector: ${inspector}`);
  const stop = (signal: string) => {
    console.log(`${signal} received: finishing in-flight deliveries…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === 'serve') return serve(rest);
  if (command === 'forward') {
    if (rest.includes('--help') || rest.includes('-h')) return void console.log(FORWARD_USAGE);
    return forwardCommand(rest, process.env).then(() => process.exit(0));
  }
  if (command === 'migrate') {
    if (rest.includes('--help') || rest.includes('-h')) return void console.log(MIGRATE_USAGE);
    await runMigrateCommand(rest, (line) => console.log(line));
    return;
  }
  if (command === 'check') {
    if (rest.includes('--help') || rest.includes('-h')) return void console.log(CHECK_USAGE);
    process.exitCode = await runCheckCommand(rest, (text) => console.log(text));
    return;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  console.error(`unknown command "${command}"\n\n${USAGE}`);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof CorruptDataError || error instanceof DamagedStoreError || error instanceof StoreUnavailableError || error instanceof DataFolderInUseError) console.error(`hookscope: ${error.message}`);
  else console.error('hookscope: failed to start:', error);
  process.exit(1);
});
