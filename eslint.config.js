// Lint: TypeScript's recommended rules everywhere, and determinism rules for workflow code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Workflow code is replayed: it must not do I/O or read the clock or randomness outside the SDK's replay-safe versions.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows must not use Node built-ins: do it in an activity.' })),
          patterns: [
            { group: ['../activities/*', '../integrations/*', '../models/*', '../api/*', '../config/*'], allowTypeImports: true, message: 'Workflows import only types from activities and integrations.' },
            { group: ['mongoose', 'chromadb', 'openai', 'express', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Not allowed in workflow code.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'fetch', message: 'I/O belongs in an activity.' },
        { name: 'process', message: 'Workflows must not read the environment.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Date.now() is not replay-safe here; use workflow time (new Date() inside the workflow sandbox) deliberately.' },
        { object: 'Math', property: 'random', message: 'Use uuid4() or the workflow random from @temporalio/workflow.' },
      ],
    },
  },
  {
    files: ['api/widget/widget.ts', 'api/public/**'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', localStorage: 'readonly', EventSource: 'readonly', HTMLElement: 'readonly', navigator: 'readonly', crypto: 'readonly' } },
  },
);
