import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** vitest global setup: compiles server, CLI and shared code into dist/server (the inspector is `npm run build`'s). */
export default function buildServer(): void {
  execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
