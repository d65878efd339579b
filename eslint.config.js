// Lint: typescript-eslint's type-checked recommended rules over the whole project (CI runs it with
// --max-warnings 0). Rules are relaxed only where the code's own conventions need it, each with its reason.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // examples/consumer-project is a project of its own (its deps are the packed tarball's): test/package/package.test.ts typechecks it there
  { ignores: ['node_modules/', 'reports/', 'coverage/', 'scratch/', 'examples/**/node_modules/', 'examples/consumer-project/', 'dist/', 'dist.tmp-*/', 'dist.old-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.mjs', 'src/backends/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_name` marks an argument or binding kept for its position or destructured away on purpose
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    // keep disableTypeChecked's parserOptions (no project service: plain scripts are not type-checked, and the
    // project service caps how many files outside tsconfig it will open)
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
);
