import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  /** JSON pointers into the document where the problem is. */
  at: string[];
}

const REDOCLY = require.resolve('@redocly/cli/bin/cli.js');
const CONFIG = path.join(__dirname, 'redocly.yaml');

/**
 * Lints an OpenAPI document with Redocly's recommended rules (as redocly.yaml adjusts them, each change said why).
 * The CLI bundles its own openapi-core and exposes no programmatic API, so it runs on a temporary file.
 */
export async function lintOpenApi(document: object): Promise<LintProblem[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-lint-'));
  const file = path.join(dir, 'openapi.json');
  try {
    fs.writeFileSync(file, JSON.stringify(document));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [REDOCLY, 'lint', file, `--config=${CONFIG}`, '--format=json', '--max-problems=1000'],
      {
        cwd: dir,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      // The CLI exits non-zero when it found errors; its report is still on stdout.
      if (error.stdout?.includes('"problems"')) return { stdout: error.stdout };
      throw error;
    });
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      problems: Array<{ ruleId: string; severity: 'error' | 'warn'; message: string; location: Array<{ pointer: string }> }>;
    };
    return report.problems.map((problem) => ({
      ruleId: problem.ruleId,
      severity: problem.severity,
      message: problem.message,
      at: problem.location.map((location) => location.pointer),
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
