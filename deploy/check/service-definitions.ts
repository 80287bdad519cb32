import { SERVICE_NAMES, type ServiceDefinition } from '@enforcement/service-runtime';
import * as path from 'node:path';
import { REPO_ROOT } from './deployment-files';

const isDefinition = (value: unknown, name: string): value is ServiceDefinition =>
  typeof value === 'object' && value !== null && (value as ServiceDefinition).name === name && 'settings' in value && 'rootModule' in value;

/**
 * Each service's definition, with its real settings schema, from services/<name>/src/service.ts: the folder the
 * image starts (services/${SERVICE}/src/main.ts runs that definition). Loaded by path, as the image does, because a
 * service is an application and not a library that can be imported.
 */
export function loadServiceDefinitions(): ServiceDefinition[] {
  return SERVICE_NAMES.map((name) => {
    const file = path.join(REPO_ROOT, 'services', name, 'src/service');
    const exported: Record<string, unknown> = require(file);
    const definition = Object.values(exported).find((value) => isDefinition(value, name));
    if (!definition) throw new Error(`${path.relative(REPO_ROOT, file)}.ts exports no ServiceDefinition named ${name}`);
    return definition;
  });
}
