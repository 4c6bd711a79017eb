import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files Hookscope reads at run time (the built inspector, SQL migrations, package.json) are found
 * from the package's root folder, the nearest one above this module holding a package.json. That
 * is the same folder whether this code runs from source (`server/…` through tsx) or from the
 * compiled bundle (`dist/server/…`, in a clone or installed under node_modules), so every such
 * path is written once, relative to the root, and `files` in package.json ships it.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}: Hookscope's files are missing`);
    dir = parent;
  }
  return dir;
}

const ROOT = packageRoot();

/** An absolute path to a file or folder of the package, from its root (`dist/web`). */
export function packagePath(relative: string): string {
  return join(ROOT, relative);
}

/** The package's version, from its package.json. */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
