// ESLint for every TypeScript and JavaScript source in the repository (npm run lint).
// Layout is prettier's job (eslint-config-prettier turns the layout rules off); this file keeps the rules about meaning.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // What .gitignore lists (flat config does not read it): build products, staged and packed copies, local data.
    ignores: [
      '**/dist/',
      '**/build/',
      '**/build-*/',
      '**/node_modules/',
      '**/coverage/',
      'data/',
      'bench/tmp/',
      '.venv-fuzz/',
      'libs/engine/native/',
      'libs/engine/cmake/',
      'libs/engine/prebuilds/',
      'packaging/tarballs/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      // Each file is checked with the tsconfig.json nearest to it, as the editor does.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    // The type-aware rules that find real bugs in a service made of callbacks, timers and sockets: a promise nobody
    // awaits loses its rejection, and one passed where a void callback is expected is never awaited.
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() and describe() return promises that its runner awaits (the bench's own tests).
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The e2e suites' tsconfig.json builds them against the packages' dist; linting must not need a build.
    files: ['test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './test/tsconfig.eslint.json' } },
  },
  {
    // Plain CommonJS: Jest configs, package bins and install scripts.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  prettier,
);
