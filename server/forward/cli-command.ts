import { ForwardCli } from './cli';
import { parseForwardOptions } from './cli-options';

/** `hookscope forward …`: runs until SIGINT/SIGTERM (the delivery in flight finishes first; a second signal exits at once). */
export async function forwardCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const options = parseForwardOptions(argv, env);
  // The forward CLI's lines are its user interface (one per delivery, documented in the README),
  // not server logs: plain timestamped lines on standard output.
  const print = (line: string) => void process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
  const cli = new ForwardCli(options, { print, now: Date.now });
  const stop = (signal: string) => {
    print(`${signal}: finishing the delivery in flight (again to quit at once)`);
    process.once(signal, () => process.exit(130));
    cli.stop();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  await cli.run();
}
