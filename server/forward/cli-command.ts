import { ForwardCli } from './cli';
import { parseForwardOptions } from './cli-options';

/** `hookscope forward …`: runs until SIGINT/SIGTERM (the delivery in flight finishes first; a second signal exits at once). */
export async function forwardCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const options = parseForwardOptions(argv, env);
  const time = () => new Date().toISOString().slice(11, 23);
  const cli = new ForwardCli(options, { print: (line) => console.log(`${time()} ${line}`), now: Date.now });
  const stop = (signal: string) => {
    console.log(`${time()} ${signal}: finishing the delivery in flight (again to quit at once)`);
    process.once(signal, () => process.exit(130));
    cli.stop();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  await cli.run();
}
