// `enforcement/no-folder-cycles`: no import loop between the folders of a project.
//
// Every import from `../<other>/...` (relative, inside the project) is an edge from the file's folder to `<other>`
// (see folder-graph.js for what a folder is). An import whose edge closes a loop in the project's folder graph is
// reported, unless that edge is in the baseline of loops known when the rule was introduced. The graph is read
// from the project's files on disk (once per lint run, cached), with the file being linted taken as it is now.
const path = require('node:path');
const {
  adjacencyOf,
  findProjectRoot,
  findWorkspaceRoot,
  folderOf,
  foldersImported,
  readProjectFiles,
  resolveRelative,
  shortestPath,
  sourceRootOf,
  toPosix,
} = require('./folder-graph');

/** Module specifiers of the linted file, each with the node to report on. */
function importsOf(program) {
  const found = [];
  const add = (node, source) => {
    if (source && source.type === 'Literal' && typeof source.value === 'string') found.push({ node, specifier: source.value });
  };
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportNamedDeclaration':
      case 'ExportAllDeclaration':
        add(node, node.source);
        break;
      case 'ImportExpression':
        add(node, node.source);
        break;
      case 'TSImportEqualsDeclaration':
        if (node.moduleReference?.type === 'TSExternalModuleReference') add(node, node.moduleReference.expression);
        break;
      case 'TSImportType':
        add(node, node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument);
        break;
      case 'CallExpression':
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) {
          add(node, node.arguments[0]);
        }
        break;
    }
    for (const key of Object.keys(node)) {
      if (key === 'parent' || key === 'range' || key === 'loc') continue;
      const child = node[key];
      if (Array.isArray(child)) child.forEach(visit);
      else if (child && typeof child.type === 'string') visit(child);
    }
  };
  visit(program);
  return found;
}

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import loops between the folders of a project' },
    schema: [
      {
        type: 'object',
        properties: {
          ignore: { type: 'array', items: { type: 'string' } },
          baseline: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      loop: "Import from folder '{{to}}' closes a folder loop in {{project}}: {{loop}}. Move the shared code so that the folders depend one way only.",
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const ignorePatterns = (options.ignore ?? []).map((p) => new RegExp(p));
    const ignoreKey = (options.ignore ?? []).join('\0');
    const isIgnored = (file) => ignorePatterns.some((re) => re.test(toPosix(file)));
    const filename = path.resolve(context.filename);
    if (isIgnored(filename)) return {};
    const projectRoot = findProjectRoot(filename);
    if (!projectRoot) return {};
    const sourceRoot = sourceRootOf(projectRoot);
    const own = folderOf(sourceRoot, filename);
    if (own === null) return {};
    const project = toPosix(path.relative(findWorkspaceRoot(projectRoot), projectRoot));
    const baseline = new Set(options.baseline?.[project] ?? []);

    return {
      Program(program) {
        const imports = importsOf(program).filter(({ specifier }) => specifier.startsWith('.'));
        if (imports.length === 0) return;
        const files = new Map(readProjectFiles(sourceRoot, isIgnored, ignoreKey));
        files.set(
          filename,
          foldersImported(
            sourceRoot,
            filename,
            imports.map((i) => i.specifier),
          ),
        );
        const adjacency = adjacencyOf(sourceRoot, files);
        for (const { node, specifier } of imports) {
          const to = folderOf(sourceRoot, resolveRelative(filename, specifier));
          if (to === null || to === own || baseline.has(`${own} -> ${to}`)) continue;
          const back = shortestPath(adjacency, to, own);
          if (back) context.report({ node, messageId: 'loop', data: { to, project, loop: [own, ...back].join(' → ') } });
        }
      },
    };
  },
};
