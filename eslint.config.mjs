import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layers only point down: events ← projections ← commands ← scheduler ← api ← platform/main.
// A file may import its own layer and the ones to its left, never one to its right.
const LAYERS = ['events', 'projections', 'commands', 'scheduler', 'api', 'platform'];
const layerRules = LAYERS.slice(0, -1).map((layer, i) => {
  const above = LAYERS.slice(i + 1);
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${above.join('|')}|config|main|worker|cli)(/|$)`,
              message: `src/${layer} may not import a layer above it (${above.join(', ')}, config): move the shared piece down, or pass it in.`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'coverage'] },
  js.configs.recommended,
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  { files: ['bench/**', 'src/cli.ts', 'test/**'], rules: { 'no-console': 'off' } },
  ...layerRules,
);
