import * as fs from 'node:fs';
import * as path from 'node:path';
import { STEP_REFUSALS } from './step-bodies.dto';

const SRC = path.join(__dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') && !/\.(integration-)?spec\.ts$/.test(entry.name) && entry.name !== 'step-bodies.dto.ts'
      ? [file]
      : [];
  });
}

/** The codes the OpenAPI document lists for the steps API, against the rules that refuse with them. */
describe('the refusals the steps API documents', () => {
  const documented = Object.values(STEP_REFUSALS).flat() as string[];

  it('lists only codes the service answers with', () => {
    const code = sources(SRC)
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('\n');
    const unknown = documented.filter((refusal) => refusal !== 'VALIDATION_FAILED' && !code.includes(`'${refusal}'`));
    expect(unknown).toEqual([]);
  });

  it('lists every code the procedure rules refuse a step with, each under one status', () => {
    const rules = fs.readFileSync(path.join(SRC, 'case-core/case-procedure.ts'), 'utf8');
    const thrown = [...rules.matchAll(/refuse\(\s*'([A-Z_]+)'/g)].map((match) => match[1]);
    expect(thrown.length).toBeGreaterThan(20);
    expect([...new Set(thrown)].filter((refusal) => !documented.includes(refusal))).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
  });
});
