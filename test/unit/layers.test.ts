import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer rule in eslint.config.js, tried on deliberate upward imports placed in each guarded folder. */
describe('layer rule', () => {
  const eslint = new ESLint();
  const restricted = async (file: string, specifier: string) => {
    const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath: file });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each([
    ['server/verify/upward.ts', '../ingest/capture'],
    ['server/verify/upward.ts', '../replay/outgoing'],
    ['server/validate/upward.ts', '../stream/hub'],
    ['server/store/upward.ts', '../verify/index'],
    ['server/store/postgres/upward.ts', '../../stream/hub'],
    ['server/replay/upward.ts', '../api/body-view'],
    ['server/delivery/upward.ts', '../store/store'],
    ['server/signing/upward.ts', '../replay/outgoing'],
    ['server/logging/upward.ts', '../store/store'],
    ['shared/upward.ts', '../server/errors'],
  ])('%s may not import %s', async (file, specifier) => {
    const messages = await restricted(file, specifier);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('move the shared piece down');
  });

  it.each([
    ['server/verify/fine.ts', '../delivery/raw-delivery'],
    ['server/verify/fine.ts', '../signing/digests'],
    ['server/replay/fine.ts', '../stream/hub'],
    ['server/ingest/fine.ts', '../verify/index'],
    ['server/api/fine.ts', '../replay/outgoing'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await restricted(file, specifier)).toEqual([]);
  });
});
