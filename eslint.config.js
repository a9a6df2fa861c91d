import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'tests/browser/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|describe|test)$/]",
          message: 'No focused tests.',
        },
        {
          selector: "CallExpression[callee.property.name='skip'][callee.object.name=/^(it|describe|test)$/]",
          message: 'No skipped tests.',
        },
      ],
    },
  },
  {
    // The console may import only the domain package and the typed client from the monorepo.
    files: ['packages/console/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@reachloop/server', '@reachloop/server/*', '**/server/src/**'] }] },
  },
  {
    // Tests and benches use the packages' exports (`@reachloop/server/testing` for test support), not their sources.
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/src/**', '**/packages/*/src/**'],
              message: 'Import @reachloop/server, @reachloop/server/testing, @reachloop/domain or @reachloop/client instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // Sizes that keep files and functions readable: a file over 400 lines or a function over 80 wants splitting.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Test files are long lists of cases (each `describe` is one function); dictionaries are tables.
    files: ['**/*.test.ts', 'tests/**/*.ts', 'bench/**/*.ts', '**/i18n/**/*.ts', '**/messages.ts', '**/messages/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['**/i18n/**/*.ts', '**/messages.ts', '**/messages/*.ts'],
    rules: { 'max-lines': 'off' },
  },
)
