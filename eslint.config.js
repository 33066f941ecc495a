// Lint: TypeScript rules plus the process boundaries of the architecture.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeOnly = ['node:*', 'fs', 'path', 'child_process', 'better-sqlite3', 'pkcs11js', 'electron'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vanthu-dev/**', 'test-results/**', 'playwright-report/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // Sanitisers of names and XML text match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-server/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src-main/electron/ may import electron.' }] }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeOnly, message: 'The renderer reaches main only through window.api.' },
            { group: ['**/src-main/**'], allowTypeImports: true, message: 'Only type imports of the API contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.js', 'scripts/**/*.mjs', 'bin/**/*.js', 'bench/**/*.ts', 'e2e/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Sandboxed preloads are CommonJS.
    files: ['**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
);
