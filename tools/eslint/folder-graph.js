// The folder graph of a project: which top-level folders of its source root import from which. Shared by the
// `enforcement/no-folder-cycles` rule and by tools/lint-guards (which checks that the baseline only lists loops
// that still exist).
//
// A file's folder is the first directory below the project's source root (`services/recording/src/cases/x.ts`
// → `cases`); for libraries the conventional `lib/` level is looked through (`libs/events/src/lib/relay/x.ts`
// → `lib/relay`). Files directly in the source root (or in `src/lib`) are in no folder and make no folder edge.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** How long a folder graph read from disk is trusted before its files are stat'ed again (for editors). */
const REVALIDATE_MS = 1000;

const projectRoots = new Map(); // directory → project root (absolute) or null
const sourceRoots = new Map(); // project root → source root (absolute)
const fileImports = new Map(); // absolute file → { mtimeMs, size, specifiers }
const graphs = new Map(); // `${sourceRoot}\0${ignoreKey}` → { checkedAt, files: Map<file, Set<folder>> }

const toPosix = (p) => p.split(path.sep).join('/');

/** The directory holding the nearest project.json above `file`, or null. */
function findProjectRoot(file) {
  const visited = [];
  let dir = path.dirname(file);
  let found = null;
  for (;;) {
    if (projectRoots.has(dir)) {
      found = projectRoots.get(dir);
      break;
    }
    visited.push(dir);
    if (fs.existsSync(path.join(dir, 'project.json'))) {
      found = dir;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, 'nx.json'))) break;
    dir = parent;
  }
  for (const d of visited) projectRoots.set(d, found);
  return found;
}

function sourceRootOf(projectRoot) {
  if (!sourceRoots.has(projectRoot)) {
    let sourceRoot = projectRoot;
    try {
      const config = JSON.parse(fs.readFileSync(path.join(projectRoot, 'project.json'), 'utf8'));
      if (config.sourceRoot) sourceRoot = path.resolve(findWorkspaceRoot(projectRoot), config.sourceRoot);
    } catch {
      // no readable project.json: the project root is the source root
    }
    sourceRoots.set(projectRoot, sourceRoot);
  }
  return sourceRoots.get(projectRoot);
}

function findWorkspaceRoot(from) {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'nx.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

/**
 * The folder of the file `absoluteFile` inside `sourceRoot`; null when it lies outside, or directly in the source
 * root or in `src/lib` (the composition root: main.ts, service.ts, index.ts, module files; those are in no folder).
 */
function folderOf(sourceRoot, absoluteFile) {
  const relative = toPosix(path.relative(sourceRoot, absoluteFile));
  if (relative === '' || relative.startsWith('../') || path.isAbsolute(relative)) return null;
  const parts = relative.split('/');
  parts.pop();
  if (parts[0] === 'lib') return parts.length > 1 ? `lib/${parts[1]}` : null;
  return parts.length > 0 ? parts[0] : null;
}

/** Module specifiers of a file on disk: imports, re-exports, dynamic imports, require() and import types. */
function importsOnDisk(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    fileImports.delete(file);
    return [];
  }
  const cached = fileImports.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.specifiers;
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  fileImports.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, specifiers });
  return specifiers;
}

/** The folders (other than its own) that the file imports from, given its module specifiers. */
function foldersImported(sourceRoot, file, specifiers) {
  const own = folderOf(sourceRoot, file);
  const folders = new Set();
  if (own === null) return folders;
  for (const specifier of specifiers) {
    if (!specifier.startsWith('.')) continue;
    const target = folderOf(sourceRoot, resolveRelative(file, specifier));
    if (target !== null && target !== own) folders.add(target);
  }
  return folders;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** The file a relative specifier names: `x` → `x.ts`, a directory → its index file. Unresolvable → as written. */
function resolveRelative(file, specifier) {
  const base = path.resolve(path.dirname(file), specifier);
  const stem = base.replace(/\.(js|mjs|cjs)$/, '');
  for (const candidate of [base, ...EXTENSIONS.map((e) => stem + e)]) {
    if (isFile(candidate)) return candidate;
  }
  for (const e of EXTENSIONS) {
    const index = path.join(base, `index${e}`);
    if (isFile(index)) return index;
  }
  return isDirectory(base) ? path.join(base, 'index.ts') : base;
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listFiles(dir, matches, out = []) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) listFiles(full, matches, out);
    } else if (matches(full)) out.push(full);
  }
  return out;
}

/**
 * The project's folder graph read from disk: for every source file (not ignored), the folders it imports.
 * Cached per process; files are stat'ed again at most once a second and re-read only when they changed.
 */
function readProjectFiles(sourceRoot, isIgnored, ignoreKey) {
  const key = `${sourceRoot}\0${ignoreKey}`;
  const now = Date.now();
  const cached = graphs.get(key);
  if (cached && now - cached.checkedAt < REVALIDATE_MS) return cached.files;
  const files = new Map();
  const isSource = (f) => /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts') && !isIgnored(f);
  for (const file of listFiles(sourceRoot, isSource)) {
    files.set(file, foldersImported(sourceRoot, file, importsOnDisk(file)));
  }
  graphs.set(key, { checkedAt: now, files });
  return files;
}

/** Adjacency (folder → Set<folder>) from per-file imported folders. */
function adjacencyOf(sourceRoot, files) {
  const adjacency = new Map();
  for (const [file, targets] of files) {
    const from = folderOf(sourceRoot, file);
    if (from === null) continue;
    if (!adjacency.has(from)) adjacency.set(from, new Set());
    for (const to of targets) adjacency.get(from).add(to);
  }
  return adjacency;
}

/** Shortest folder path from `from` to `to` (both included), or null. */
function shortestPath(adjacency, from, to) {
  const previous = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === to) {
      const result = [];
      for (let node = to; node !== null; node = previous.get(node)) result.unshift(node);
      return result;
    }
    for (const next of adjacency.get(current) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  return null;
}

/** Every folder edge `a -> b` of the graph that lies on a loop, sorted. */
function edgesOnLoops(adjacency) {
  const edges = [];
  for (const [from, targets] of adjacency) {
    for (const to of targets) if (shortestPath(adjacency, to, from)) edges.push(`${from} -> ${to}`);
  }
  return edges.sort();
}

module.exports = {
  adjacencyOf,
  edgesOnLoops,
  findProjectRoot,
  findWorkspaceRoot,
  folderOf,
  foldersImported,
  resolveRelative,
  readProjectFiles,
  shortestPath,
  sourceRootOf,
  toPosix,
};
