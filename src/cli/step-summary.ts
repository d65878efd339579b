import { appendFileSync } from 'node:fs';

/**
 * Appends Markdown to the GitHub Actions job summary when `GITHUB_STEP_SUMMARY` names its file (docs/package.md):
 * sweep, verify and bench call it with their summaries. The runner owns that file and reads it after the
 * step, and appending is its protocol, so this one file is appended to rather than written atomically.
 * Returns the file appended to, or null when the variable is unset or empty.
 */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return null;
  appendFileSync(file, `${markdown.trimEnd()}\n\n`);
  return file;
}
