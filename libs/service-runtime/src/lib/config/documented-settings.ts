import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServiceSettings } from './service-config';

/**
 * The variables of a service's own settings that README.md's configuration table or .env.example do not
 * mention: each service's spec asserts there are none, so the documentation cannot fall behind the code.
 */
export function undocumentedVariables(settings: ServiceSettings, repoRoot: string): { readme: string[]; envExample: string[] } {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const example = fs.readFileSync(path.join(repoRoot, '.env.example'), 'utf8');
  const variables = [settings.portVariable, ...Object.keys(settings.shape)];
  return {
    readme: variables.filter((name) => !readme.includes(`| \`${name}\` |`)),
    envExample: variables.filter((name) => !new RegExp(`^${name}=`, 'm').test(example)),
  };
}
