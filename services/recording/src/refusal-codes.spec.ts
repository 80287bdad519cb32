import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * Issue #10, "Done when": every refusal code the service returns has at least one test. This guard reads the
 * sources so a new code without a test fails `npm test` instead of waiting for the next review: the codes given to
 * RecordingError (and DomainError, Refusal), directly or through helpers that pass a parameter on as the code
 * (the case core's refuse(), EvidenceErrors.*), and those named in `code:` or `refusedWith:`. A code counts as tested
 * when a spec of recording, the e2e suite or libs/certificates quotes it. A dead code is removed, not exempted.
 */

const ROOT = join(__dirname, '..', '..', '..');
const SOURCE_DIR = join(__dirname);
/** Where a test of a recording code may live: recording's specs, the e2e suite, the certificates library's specs. */
const TEST_DIRS = [SOURCE_DIR, join(ROOT, 'test', 'e2e'), join(ROOT, 'libs', 'certificates', 'src')];

const CODE = /^['"`]([A-Z][A-Z0-9_]+)['"`]$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** The constructors whose first argument is the code; helpers that forward a code parameter are found from them. */
const BASE_THROWERS = new Map([
  ['RecordingError', 0],
  ['DomainError', 0],
  ['Refusal', 0],
]);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const isSpec = (file: string) => /\.(?:integration-|e2e-)?spec\.ts$/.test(file);
const isSource = (file: string) => file.endsWith('.ts') && !isSpec(file) && !/[/\\](?:test-support|bench)[/\\]/.test(file);

interface Scan {
  codes: Map<string, string>;
  /** Calls whose code the guard cannot read: each must be a literal or a parameter of a helper it can follow. */
  unreadable: string[];
}

/** The top-level arguments of the call whose `(` is at `open`, as written; undefined for a declaration. */
function argumentsAt(text: string, open: number): string[] | undefined {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        // `name(params) {` or `name(params): T {` declares a method; it calls nothing.
        if (/^\s*(?::[^;{=]*)?\{/.test(text.slice(i + 1, i + 200)) && !/^\s*\{\s*\}/.test(text.slice(i + 1))) return undefined;
        return args.filter((arg, index) => arg !== '' || index > 0);
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return undefined;
}

/** The declaration nearest before `at` with a parameter `param`: its name and the parameter's position. */
function enclosingDeclaration(text: string, at: number, param: string): { name: string; position: number } | undefined {
  const declaration =
    /(?:function\s+([A-Za-z_$][\w$]*)|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?|^[ \t]*(?:(?:private|public|protected|static|async)\s+)*([A-Za-z_$][\w$]*))\s*\(([^()]*)\)/gm;
  let found: { name: string; position: number } | undefined;
  for (const match of text.slice(0, at).matchAll(declaration)) {
    const name = match[1] ?? match[2] ?? match[3];
    const params = match[4].split(',').map((part) =>
      part
        .trim()
        .replace(/[?]?\s*:.*$/s, '')
        .replace(/\s*=.*$/s, ''),
    );
    const position = params.indexOf(param);
    if (position >= 0 && !['if', 'for', 'while', 'switch', 'catch'].includes(name)) found = { name, position };
  }
  return found;
}

function scanSources(texts: Array<{ file: string; text: string }>): Scan {
  const throwers = new Map(BASE_THROWERS);
  const codes = new Map<string, string>();
  let unreadable: string[] = [];
  // Helpers are found from the throwers they call, so a pass may find more: repeat until none is new.
  for (let grew = true; grew;) {
    grew = false;
    unreadable = [];
    for (const { file, text } of texts) {
      const where = (index: number) => `${relative(ROOT, file)}:${text.slice(0, index).split('\n').length}`;
      for (const match of text.matchAll(new RegExp(`\\b(${[...throwers.keys()].join('|')})\\s*\\(`, 'g'))) {
        if (/function\s+$/.test(text.slice(Math.max(0, match.index - 20), match.index))) continue;
        const args = argumentsAt(text, match.index + match[0].length - 1);
        if (args === undefined) continue;
        const arg = args[throwers.get(match[1]) ?? 0] ?? '';
        const literal = CODE.exec(arg);
        if (literal) {
          if (!codes.has(literal[1])) codes.set(literal[1], relative(ROOT, file));
          continue;
        }
        const helper = IDENTIFIER.test(arg) ? enclosingDeclaration(text, match.index, arg) : undefined;
        if (!helper) unreadable.push(where(match.index));
        else if (!throwers.has(helper.name)) {
          throwers.set(helper.name, helper.position);
          grew = true;
        }
      }
      for (const match of text.matchAll(/\b(?:code|refusedWith)\s*:\s*(['"`][A-Z][A-Z0-9_]+['"`])/g)) {
        const code = CODE.exec(match[1])?.[1];
        if (code && !codes.has(code)) codes.set(code, relative(ROOT, file));
      }
    }
  }
  return { codes, unreadable };
}

describe('refusal codes of the recording service', () => {
  const sources = walk(SOURCE_DIR).filter(isSource);
  const specs = TEST_DIRS.flatMap(walk).filter((file) => isSpec(file) && file !== __filename);
  const tested = specs.map((file) => readFileSync(file, 'utf8')).join('\n');
  const { codes, unreadable } = scanSources(sources.map((file) => ({ file, text: readFileSync(file, 'utf8') })));

  it('finds the codes it guards, through helpers and multi-line constructions', () => {
    // A few known codes, one per way of raising them: a plain constructor, EvidenceErrors.*, the case core's refuse().
    for (const code of ['CONCURRENT_CHANGE', 'UPLOAD_BUSY', 'NOTICE_REQUIRED', 'HEARING_CHAIR_REQUIRED']) {
      expect(codes.has(code)).toBe(true);
    }
    expect(codes.size).toBeGreaterThan(80);
  });

  it('reads codes spread over lines, forwarded through helpers and objects of factories, and flags one it cannot read', () => {
    const probe = scanSources([
      {
        file: join(SOURCE_DIR, 'probe.ts'),
        text: [
          "throw new RecordingError(\n  'SPREAD_OVER_LINES',\n  '…',\n  'invalid',\n);",
          "function deny(reason: string, code: string) { return new RecordingError(code, reason, 'refused'); }",
          "const failing = (code: string) => deny('…', code);",
          "throw failing('THROUGH_TWO_HELPERS');",
          "export const Errors = { gone: () => new RecordingError('FROM_A_FACTORY', '…', 'not-found') };",
          "const field = { refusedWith: 'FROM_A_FIELD' };",
          "throw new RecordingError(computed.code, '…', 'invalid');",
        ].join('\n'),
      },
    ]);
    expect([...probe.codes.keys()].sort()).toEqual(['FROM_A_FACTORY', 'FROM_A_FIELD', 'SPREAD_OVER_LINES', 'THROUGH_TWO_HELPERS']);
    expect(probe.unreadable).toEqual([`${relative(ROOT, join(SOURCE_DIR, 'probe.ts'))}:11`]);
  });

  it('raises every refusal with a code it can read', () => {
    expect(unreadable).toEqual([]);
  });

  it('has at least one test naming each code the service returns', () => {
    const quoted = (code: string) => new RegExp(`['"\`]${code}['"\`]`).test(tested);
    const untested = [...codes].filter(([code]) => !quoted(code)).map(([code, file]) => `${code} (${file})`);
    expect(untested.sort()).toEqual([]);
  });
});
