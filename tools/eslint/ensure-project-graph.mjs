// @nx/enforce-module-boundaries reads the project graph that nx caches in .nx/workspace-data. `nx lint` computes
// it before running the task; plain `eslint` (a fresh checkout, an editor, a pre-commit hook) does not, and the
// rule then prints "No cached ProjectGraph is available. The rule will be skipped." and passes everything.
// eslint.config.mjs awaits this before exporting the config, so the graph is always there, and current.
import { createProjectGraphAsync } from '@nx/devkit';

export async function ensureProjectGraph() {
  // Inside an nx task (`nx lint`, `nx run-many -t lint`) nx has just computed and cached the graph. While nx itself
  // builds the graph (a plugin such as @nx/eslint/plugin loading this config, in-process or in a plugin worker),
  // it must not be asked for it again: that would recurse or wait on its own lock.
  if (process.env.NX_TASK_TARGET_PROJECT || globalThis.NX_GRAPH_CREATION || globalThis.NX_PLUGIN_WORKER) return;
  const isolatePlugins = process.env.NX_ISOLATE_PLUGINS;
  const daemon = process.env.NX_DAEMON;
  // Plugins in-process (~0.1 s instead of ~1 s for worker start-up) and no daemon: this process computes the graph
  // (incrementally from the cache when there is one) and writes it where the rule reads it.
  process.env.NX_ISOLATE_PLUGINS ??= 'false';
  process.env.NX_DAEMON ??= 'false';
  try {
    await createProjectGraphAsync({ exitOnError: false });
  } catch (error) {
    // Without a graph the boundary rule would silently check nothing: fail the lint run instead.
    throw new Error(
      `eslint.config.mjs: the nx project graph could not be computed, so module boundaries cannot be checked:\n${error?.stack ?? error}`,
    );
  } finally {
    restore('NX_ISOLATE_PLUGINS', isolatePlugins);
    restore('NX_DAEMON', daemon);
  }
}

function restore(name, value) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
