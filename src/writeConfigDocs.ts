/**
 * `npm run docs:config`: writes the README's configuration reference (the variables table and the upstream policy
 * table) from the settings' declarations in src/config/. `--check` writes nothing and fails when the README differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configReferenceBlocks } from './config/index.js';
import { withGeneratedBlocks } from './config/docs.js';
import { packagePath } from './packageFiles.js';

const readmePath = packagePath('README.md');
const current = readFileSync(readmePath, 'utf8');
const generated = withGeneratedBlocks(current, configReferenceBlocks());
if (process.argv.includes('--check')) {
  if (generated !== current) {
    process.stderr.write('README.md: the configuration reference differs from src/config/: run npm run docs:config\n');
    process.exitCode = 1;
  }
} else if (generated !== current) {
  writeFileSync(readmePath, generated);
  process.stdout.write('README.md: configuration reference written\n');
}
