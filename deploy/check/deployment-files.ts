import * as fs from 'node:fs';
import * as path from 'node:path';
import { load, loadAll } from 'js-yaml';

export const DEPLOY_DIR = path.resolve(__dirname, '..');
export const REPO_ROOT = path.resolve(DEPLOY_DIR, '..');

/**
 * A variable as a deployment file gives it: its value written in the file, or a value the operator supplies at
 * deployment time (a Secret, a `${NAME:?…}` that compose takes from deploy/compose/.env).
 */
export type Provided = { kind: 'literal'; value: string } | { kind: 'operator'; from: string };
export type ProvidedEnv = Map<string, Provided>;

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target?: number })[];
  healthcheck?: { test?: string | string[] };
  user?: string | number;
  entrypoint?: string | string[];
  command?: string | string[];
  volumes?: (string | { source?: string; target?: string })[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** The parts of Kubernetes objects the checks read; everything is optional, as in a file someone edited. */
export interface Manifest {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> } & Record<string, unknown>;
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    ports?: { port?: number; targetPort?: number | string }[];
    template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: PodSpec };
  };
}

export interface PodSpec {
  securityContext?: SecurityContext;
  containers?: Container[];
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
}

export interface Probe {
  httpGet?: { path?: string; port?: number | string };
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      configMapKeyRef?: { name: string; key: string; optional?: boolean };
      secretKeyRef?: { name: string; key: string; optional?: boolean };
    };
  }[];
  envFrom?: { configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  ports?: { name?: string; containerPort?: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
}

export interface PrometheusConfig {
  rule_files?: string[];
  scrape_configs?: { job_name?: string; metrics_path?: string; static_configs?: { targets?: string[] }[] }[];
}

export interface DeploymentFiles {
  dockerfile: string;
  compose: ComposeFile;
  /** The kustomization's resources and the example Secrets (which the operator creates from their secret store). */
  manifests: Manifest[];
  prometheus: PrometheusConfig;
}

export const FILES = {
  dockerfile: path.join(DEPLOY_DIR, 'docker/Dockerfile'),
  compose: path.join(DEPLOY_DIR, 'compose/docker-compose.yml'),
  kubernetes: path.join(DEPLOY_DIR, 'kubernetes'),
  prometheus: path.join(DEPLOY_DIR, 'prometheus/prometheus.yml'),
  alerts: path.join(DEPLOY_DIR, 'prometheus/alerts.yml'),
};

const readYaml = (file: string): unknown => load(fs.readFileSync(file, 'utf8'), { filename: file });

export function readDeploymentFiles(): DeploymentFiles {
  const kustomization = readYaml(path.join(FILES.kubernetes, 'kustomization.yaml')) as { resources?: string[] };
  const manifestFiles = [...(kustomization.resources ?? []), 'secrets.example.yaml'];
  return {
    dockerfile: fs.readFileSync(FILES.dockerfile, 'utf8'),
    compose: readYaml(FILES.compose) as ComposeFile,
    manifests: manifestFiles.flatMap((file) =>
      loadAll(fs.readFileSync(path.join(FILES.kubernetes, file), 'utf8')).filter((doc): doc is Manifest => doc !== null),
    ),
    prometheus: readYaml(FILES.prometheus) as PrometheusConfig,
  };
}

// `$$` is a dollar sign; `${NAME:-default}` and `${NAME-default}` fall back to the default; `${NAME}`, `$NAME`
// and `${NAME:?message}` take the operator's value.
const INTERPOLATION = /\$\$|\$\{([A-Za-z_]\w*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_]\w*)/g;
const OPERATOR_PART = '\u0000';

/** A value of a compose file after compose's interpolation, as far as the file decides it. */
export function composeValue(raw: string): Provided {
  let fromOperator: string | undefined;
  const value = raw.replace(INTERPOLATION, (match, braced?: string, operator?: string, argument?: string, bare?: string) => {
    if (match === '$$') return '$';
    if (operator?.endsWith('-')) return argument ?? '';
    fromOperator = braced ?? bare;
    return OPERATOR_PART;
  });
  if (fromOperator === undefined) return { kind: 'literal', value };
  if (value === OPERATOR_PART) return { kind: 'operator', from: `\${${fromOperator}}` };
  // Part of a value, such as the password in a URL: any text will do for checking the rest.
  return { kind: 'literal', value: value.split(OPERATOR_PART).join('operator-value') };
}

export function composeEnv(service: ComposeService): ProvidedEnv {
  const entries: [string, string | null][] = Array.isArray(service.environment)
    ? service.environment.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, null] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([name, value]) => [name, value === null ? null : String(value)]);
  // A name without a value is passed through from the shell that runs compose.
  return new Map(entries.map(([name, value]) => [name, value === null ? { kind: 'operator', from: `\${${name}}` } : composeValue(value)]));
}

/** The text of a command, entrypoint or healthcheck, however compose lets it be written. */
export function commandText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

/** The environment a container gets from its env and envFrom, resolved against the ConfigMaps and Secrets. */
export function podEnv(container: Container, manifests: Manifest[], problems: string[]): ProvidedEnv {
  const object = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  const keysOf = (manifest: Manifest) => ({ ...manifest.data, ...manifest.stringData });
  const env: ProvidedEnv = new Map();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const map = object('ConfigMap', source.configMapRef.name);
      if (!map && !source.configMapRef.optional) problems.push(`ConfigMap ${source.configMapRef.name} does not exist`);
      for (const [name, value] of Object.entries(map ? keysOf(map) : {})) env.set(name, { kind: 'literal', value: String(value) });
    }
    if (source.secretRef) {
      const secret = object('Secret', source.secretRef.name);
      if (!secret && !source.secretRef.optional) problems.push(`Secret ${source.secretRef.name} does not exist`);
      for (const name of Object.keys(secret ? keysOf(secret) : {}))
        env.set(name, { kind: 'operator', from: `Secret ${source.secretRef.name}` });
    }
  }
  for (const variable of container.env ?? []) {
    const mapRef = variable.valueFrom?.configMapKeyRef;
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (mapRef) {
      const map = object('ConfigMap', mapRef.name);
      const value = map ? keysOf(map)[mapRef.key] : undefined;
      if (value !== undefined) env.set(variable.name, { kind: 'literal', value: String(value) });
      else if (!mapRef.optional) problems.push(`${variable.name}: key ${mapRef.key} of ConfigMap ${mapRef.name} does not exist`);
    } else if (secretRef) {
      const secret = object('Secret', secretRef.name);
      if (secret && secretRef.key in keysOf(secret)) env.set(variable.name, { kind: 'operator', from: `Secret ${secretRef.name}` });
      else if (!secretRef.optional) problems.push(`${variable.name}: key ${secretRef.key} of Secret ${secretRef.name} does not exist`);
    } else {
      env.set(variable.name, { kind: 'literal', value: variable.value ?? '' });
    }
  }
  return env;
}

/** The instructions of the Dockerfile's last stage, the one the image is made of. */
export function finalStage(dockerfile: string): string[] {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const from = instructions.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
  return instructions.slice(Math.max(from, 0));
}
