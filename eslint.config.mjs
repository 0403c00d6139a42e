// Lint: typescript-eslint's recommended rules, plus the one architectural rule we rely on:
// the core is pure and never reaches for the editor API.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'out/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Domain modules must not depend on VS Code: src/core is pure.' }],
        patterns: [
          { group: ['node:fs', 'fs', 'node:fs/*', 'fs/*', 'node:child_process', 'child_process', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https'], message: 'src/core does no I/O.' },
          { group: ['../features/*', '../cli/*', '../extension'], message: 'src/core must not depend on adapters.' },
        ],
      }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
