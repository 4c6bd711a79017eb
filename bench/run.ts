// `npm run bench`: runs every bench/*.bench.ts in turn (or those named on the command line) and
// prints their figures. Figures are ratios measured in one run; the machine is shared and noisy.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = (await readdir(dir)).filter((name) => name.endsWith('.bench.ts')).sort();
// A name that is a whole bench's name picks that one (`scale` is not also `scale-postgres`);
// any other part of a name picks every bench whose file name holds it.
const named = (f: string) => wanted.some((w) => (files.includes(`${w}.bench.ts`) ? f === `${w}.bench.ts` : f.includes(w)));
const modules = new Map<string, { default: () => Promise<void>; heavy?: boolean }>();
for (const file of files) modules.set(file, (await import(pathToFileURL(join(dir, file)).href)) as { default: () => Promise<void>; heavy?: boolean });
// A bench that exports `heavy = true` (minutes of filling, say) runs only when named.
const chosen = wanted.length > 0 ? files.filter(named) : files.filter((f) => !modules.get(f)?.heavy);

console.log(`Hookscope benchmarks — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
for (const file of chosen) {
  console.log(`\n=== ${file.replace('.bench.ts', '')} ===`);
  await modules.get(file)?.default();
}
process.exit(0);
