import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'payloads are rendered as text only' },
      ],
    },
  },
  // Layers (DESIGN.md): a lower layer never imports a higher one. Relative imports are matched by
  // the folder they reach, so `../ingest/…` from server/verify fails lint.
  ...layerRules({
    'server/logging/**': ['ingest', 'replay', 'api', 'forward', 'stream', 'store', 'verify', 'validate', 'signing', 'delivery'],
    'server/net/**': ['ingest', 'replay', 'api', 'forward', 'stream', 'store', 'verify', 'validate', 'signing', 'delivery'],
    'server/delivery/**': ['ingest', 'replay', 'api', 'forward', 'stream', 'store', 'verify', 'validate', 'signing'],
    'server/signing/**': ['ingest', 'replay', 'api', 'forward', 'stream', 'store', 'verify', 'validate'],
    'server/verify/**': ['ingest', 'replay', 'api', 'forward', 'stream'],
    'server/validate/**': ['ingest', 'replay', 'api', 'forward', 'stream'],
    'server/store/**': ['stream', 'api', 'ingest', 'replay', 'verify'],
    'server/replay/**': ['api'],
    'server/alerts/**': ['api', 'ingest'],
    'shared/**': ['server', 'web'],
  }),
);

/** One `no-restricted-imports` block per folder, naming the server folders it may not reach. */
function layerRules(forbidden) {
  return Object.entries(forbidden).map(([files, folders]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: `^(\\.\\.?/)+(server/)?(${folders.join('|')})(/|$)`,
          message: `${files.replace('/**', '')} sits below ${folders.join(', ')}: move the shared piece down (server/delivery, server/signing, shared/) instead of importing upward.`,
        }],
      }],
    },
  }));
}
