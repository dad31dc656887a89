import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'examples/**/.next/**', 'test/e2e/.static-guard/**', 'test/e2e/.cache-components/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'max-params': ['error', 5],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Adapters use only the server's public entry, so third parties could write one the same way.
    files: ['src/express/**', 'src/next/**', 'src/react/**', 'src/openfeature/**', 'src/flags-sdk/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // The package's public entries, and the browser code React and the OpenFeature web provider share.
              group: ['../*', '!../server', '!../webhooks', '!../flags-sdk', '!../browser', '!../browser/*'],
              message: 'Import from a public entry (../server, ../webhooks, ../flags-sdk) only, so that third parties could write an adapter the same way.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**', 'examples/**', '**/*.test.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
