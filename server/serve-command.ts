import { join } from 'node:path';
import { loadConfig, type Config } from './config';
import { CorruptDataError, StoreUnavailableError } from './errors';
import { createLogger, type Logger } from './logging/logger';
import { startServer, type RunningServer } from './serve';
import { DataFolderInUseError } from './store/data-lock';

/** Errors whose message says all a person needs (no stack). */
function isExplained(error: unknown): error is Error {
  return error instanceof CorruptDataError || error instanceof StoreUnavailableError || error instanceof DataFolderInUseError;
}

/** Where the admin token comes from, for people who need it (never the token itself). */
function tokenSource(config: Config): string {
  return config.token ? 'the token you set (--token / HOOKSCOPE_TOKEN)' : `the token kept in ${join(config.data, 'token')}`;
}

/**
 * The start-up lines. The inspector link carries the admin token in its `#token=` fragment, so it
 * is printed only to a terminal (a person's screen, not a log pipeline), and outside the logger:
 * no log line ever holds the token.
 */
function announce(server: RunningServer, config: Config, quieter: Logger): void {
  // Where to send deliveries is shown whatever the level (tools wait for "listening on"), unless silent.
  const logger = quieter.level === 'silent' || quieter.isLevelEnabled('info') ? quieter : quieter.child({}, { level: 'info' });
  const base = config.publicUrl?.replace(/\/$/, '') ?? server.url;
  if (config.store === 'postgres' && !config.token) {
    // Each instance would generate its own token: an inspector could only talk to one of them.
    logger.warn('Several instances on one database need the same token: set HOOKSCOPE_TOKEN on each.');
  }
  logger.info({ url: server.url, store: server.store.description }, `Hookscope listening on ${server.url} (store: ${server.store.description})`);
  logger.info({ ingest: `${base}/h/default` }, `Send webhooks to ${base}/h/default`);
  if (process.stdout.isTTY) process.stdout.write(`Inspector: ${base}/#token=${encodeURIComponent(server.token)}\n`);
  else logger.info({ inspector: `${base}/` }, `Inspector: ${base}/ (sign in with ${tokenSource(config)})`);
}

/** `hookscope serve`: starts, announces itself, and stops cleanly on SIGTERM/SIGINT. */
export async function serveCommand(argv: string[]): Promise<void> {
  const config = loadConfig(argv, process.env);
  const level = config.quiet && config.logLevel === 'info' ? 'warn' : config.logLevel;
  const logger = createLogger({ level, format: config.logFormat });
  let server: RunningServer;
  try {
    server = await startServer({ config, logger });
  } catch (error) {
    if (isExplained(error)) logger.fatal(`hookscope: ${error.message}`);
    else logger.fatal({ err: error }, 'hookscope: failed to start');
    process.exit(1);
  }
  const stop = (signal: string) => {
    logger.info({ signal }, `${signal} received: finishing in-flight deliveries…`);
    server.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  announce(server, config, logger); // after the handlers: whoever waits for "listening on" may stop it at once
}
