import { ALL_TOPICS } from '@enforcement/contracts';
import type { ServiceDefinition } from '@enforcement/service-runtime';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  commandText,
  composeEnv,
  FILES,
  finalStage,
  podEnv,
  REPO_ROOT,
  type ComposeFile,
  type Container,
  type DeploymentFiles,
  type Manifest,
  type Probe,
  type ProvidedEnv,
} from './deployment-files';
import { loadServiceDefinitions } from './service-definitions';
import { checkServiceEnv } from './service-env';

/** The four services, each with its real settings schema. */
export const SERVICES = loadServiceDefinitions();

/** Every problem of the deployment files, one line each, prefixed with where it is. */
export function deploymentProblems(files: DeploymentFiles): string[] {
  return [
    ...imageProblems(files.dockerfile),
    ...composeProblems(files.compose, files.prometheus),
    ...kubernetesProblems(files.manifests, imageUser(files.dockerfile)),
  ];
}

// ---------------------------------------------------------------------------------------------------- image

/** The user of the image's final stage: `USER name[:group]`, or root when none is set. */
export function imageUser(dockerfile: string): string {
  const users = finalStage(dockerfile).filter((line) => /^USER\s/i.test(line));
  return users.length > 0 ? users[users.length - 1].replace(/^USER\s+/i, '').split(':')[0] : 'root';
}

export function imageProblems(dockerfile: string): string[] {
  const problems: string[] = [];
  const user = imageUser(dockerfile);
  if (user === 'root' || user === '0') problems.push(`image: the final stage runs as ${user}; set USER to a non-root user`);
  else if (!/^\d+$/.test(user)) problems.push(`image: USER ${user} is not numeric, so Kubernetes' runAsNonRoot cannot check it`);
  const start = finalStage(dockerfile).find((line) => /^(CMD|ENTRYPOINT)\s/i.test(line) && line.includes('services/${SERVICE'));
  if (!start) problems.push('image: no CMD or ENTRYPOINT starts services/${SERVICE}/src/main.ts');
  for (const service of SERVICES) {
    if (!fs.existsSync(path.join(REPO_ROOT, 'services', service.name, 'src/main.ts'))) {
      problems.push(`image: SERVICE=${service.name} would start services/${service.name}/src/main.ts, which does not exist`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------- topics

function topicJobProblems(where: string, env: ProvidedEnv, script: string, servicePrefixes: Map<string, string>): string[] {
  const problems: string[] = [];
  if (!/\$\{?TOPICS\b/.test(script)) problems.push(`${where}: the script does not create the topics listed in TOPICS`);
  const topics = env.get('TOPICS');
  const listed = new Set(topics?.kind === 'literal' ? topics.value.split(/[\s,]+/).filter(Boolean) : []);
  for (const topic of ALL_TOPICS) if (!listed.has(topic)) problems.push(`${where}: topic ${topic} of the registry is not created`);
  const prefix = env.get('KAFKA_TOPIC_PREFIX');
  const jobPrefix = prefix?.kind === 'literal' ? prefix.value : '';
  if (!/\$\{?KAFKA_TOPIC_PREFIX\b/.test(script) && jobPrefix) problems.push(`${where}: the script ignores KAFKA_TOPIC_PREFIX`);
  for (const [service, servicePrefix] of servicePrefixes) {
    if (servicePrefix !== jobPrefix) {
      problems.push(`${where}: creates topics with prefix '${jobPrefix}' but ${service} uses KAFKA_TOPIC_PREFIX '${servicePrefix}'`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------- compose

function containerPortOf(mapping: string | number | { target?: number }): number | undefined {
  if (typeof mapping === 'object') return mapping.target;
  const container = String(mapping).split('/')[0].split(':').pop();
  return container === undefined ? undefined : Number(container);
}

export function composeProblems(compose: ComposeFile, prometheus: DeploymentFiles['prometheus']): string[] {
  const problems: string[] = [];
  const composeDir = path.dirname(FILES.compose);
  const prefixes = new Map<string, string>();
  const scrapeTargets = new Set(
    (prometheus.scrape_configs ?? []).flatMap((job) => (job.static_configs ?? []).flatMap((c) => c.targets ?? [])),
  );
  for (const service of SERVICES) {
    const where = `compose ${service.name}`;
    const entry = compose.services[service.name];
    if (!entry) {
      problems.push(`${where}: no such service`);
      continue;
    }
    const build = typeof entry.build === 'string' ? { context: entry.build } : entry.build;
    const dockerfile = build ? path.resolve(composeDir, build.context ?? '.', build.dockerfile ?? 'Dockerfile') : undefined;
    if (dockerfile !== FILES.dockerfile) problems.push(`${where}: not built from ${path.relative(REPO_ROOT, FILES.dockerfile)}`);
    if (entry.user !== undefined && ['root', '0'].includes(String(entry.user).split(':')[0])) problems.push(`${where}: runs as root`);
    const env = composeEnv(entry);
    problems.push(...serviceSelection(where, service, env));
    const { problems: envProblems, config } = checkServiceEnv(service, env);
    problems.push(...envProblems.map((problem) => `${where}: ${problem}`));
    if (!config) continue;
    const port = config.service.port;
    prefixes.set(service.name, config.events.kafka?.topicPrefix ?? '');
    for (const mapping of entry.ports ?? []) {
      if (containerPortOf(mapping) !== port)
        problems.push(`${where}: publishes container port ${containerPortOf(mapping)}, the service listens on ${port}`);
    }
    const healthcheck = commandText(entry.healthcheck?.test);
    const probed = /:(\d+)\/health\b/.exec(healthcheck);
    if (!probed) problems.push(`${where}: the healthcheck does not ask /health`);
    else if (Number(probed[1]) !== port)
      problems.push(`${where}: the healthcheck asks port ${probed[1]}/health, the service listens on ${port}`);
    if (!scrapeTargets.has(`${service.name}:${port}`)) problems.push(`${where}: prometheus.yml does not scrape ${service.name}:${port}`);
  }
  const jobs = Object.entries(compose.services).filter(([, entry]) => /kafka-topics(\.sh)?\b.*--create/s.test(commandText(entry.command)));
  if (jobs.length !== 1) problems.push(`compose: ${jobs.length} topic-creation jobs (kafka-topics.sh --create), want 1`);
  for (const [name, entry] of jobs) {
    problems.push(...topicJobProblems(`compose ${name}`, composeEnv(entry), commandText(entry.command), prefixes));
  }
  problems.push(...composePrometheusProblems(compose, prometheus));
  return problems;
}

function composePrometheusProblems(compose: ComposeFile, prometheus: DeploymentFiles['prometheus']): string[] {
  const problems: string[] = [];
  const composeDir = path.dirname(FILES.compose);
  const mountsRules = Object.values(compose.services).some(
    (entry) =>
      entry.image?.startsWith('prom/prometheus') &&
      (entry.volumes ?? []).some((volume) => {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
        return source !== undefined && path.resolve(composeDir, source) === path.dirname(FILES.prometheus);
      }),
  );
  if (!mountsRules) problems.push('compose: no Prometheus service mounts deploy/prometheus (its configuration and alert rules)');
  const ruleFiles = (prometheus.rule_files ?? []).map((file) => path.resolve(path.dirname(FILES.prometheus), file));
  if (!ruleFiles.includes(FILES.alerts)) problems.push('prometheus.yml: rule_files does not load alerts.yml');
  return problems;
}

/** The image starts the service SERVICE names: it must be the one the file says it runs. */
function serviceSelection(where: string, service: ServiceDefinition, env: ProvidedEnv): string[] {
  const selected = env.get('SERVICE');
  if (selected?.kind === 'literal' && selected.value === service.name) return [];
  return [`${where}: SERVICE must be ${service.name}, the image starts the service it names`];
}

// ---------------------------------------------------------------------------------------------------- kubernetes

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);

function namedPort(container: Container, port: number | string | undefined): number | undefined {
  return typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
}

function probeProblems(where: string, container: Container, port: number): string[] {
  const problems: string[] = [];
  const probes: [string, Probe | undefined][] = [
    ['readinessProbe', container.readinessProbe],
    ['livenessProbe', container.livenessProbe],
    ['startupProbe', container.startupProbe],
  ];
  for (const [kind, probe] of probes) {
    if (!probe) {
      if (kind !== 'startupProbe') problems.push(`${where}: no ${kind}`);
      continue;
    }
    if (probe.httpGet?.path !== '/health') problems.push(`${where}: ${kind} asks ${probe.httpGet?.path ?? 'no HTTP path'}, not /health`);
    const probed = namedPort(container, probe.httpGet?.port);
    if (probed !== port) problems.push(`${where}: ${kind} asks port ${probed ?? probe.httpGet?.port}, the service listens on ${port}`);
  }
  return problems;
}

/** Non-root as Kubernetes enforces it: runAsNonRoot, and a user id that is not 0 (the pod's or the image's). */
function nonRootProblems(where: string, pod: Manifest, container: Container, imageUserId: string | undefined): string[] {
  const podContext = pod.spec?.template?.spec?.securityContext;
  const runAsNonRoot = container.securityContext?.runAsNonRoot ?? podContext?.runAsNonRoot;
  const runAsUser = container.securityContext?.runAsUser ?? podContext?.runAsUser;
  if (runAsNonRoot !== true) return [`${where}: securityContext.runAsNonRoot is not true`];
  if (runAsUser === 0) return [`${where}: securityContext.runAsUser is 0 (root)`];
  if (runAsUser === undefined && imageUserId !== undefined && !/^[1-9]\d*$/.test(imageUserId)) {
    return [`${where}: no runAsUser, and the image's user ${imageUserId} is not a numeric non-root id`];
  }
  return [];
}

export function kubernetesProblems(manifests: Manifest[], imageUserId?: string): string[] {
  const problems: string[] = [];
  const prefixes = new Map<string, string>();
  for (const service of SERVICES) {
    const where = `kubernetes ${service.name}`;
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata?.name === service.name);
    const pod = deployment?.spec?.template;
    const container = pod?.spec?.containers?.find((c) => c.name === service.name) ?? pod?.spec?.containers?.[0];
    if (!deployment || !container) {
      problems.push(`${where}: no Deployment ${service.name} with a container`);
      continue;
    }
    const resolution: string[] = [];
    const env = podEnv(container, manifests, resolution);
    problems.push(...resolution.map((problem) => `${where}: ${problem}`));
    problems.push(...serviceSelection(where, service, env));
    const { problems: envProblems, config } = checkServiceEnv(service, env);
    problems.push(...envProblems.map((problem) => `${where}: ${problem}`));
    problems.push(...nonRootProblems(where, deployment, container, imageUserId));
    const resources = container.resources;
    if (!resources?.requests?.['cpu'] || !resources.requests['memory'] || !resources.limits?.['memory']) {
      problems.push(`${where}: set resource requests (cpu, memory) and a memory limit`);
    }
    problems.push(...disruptionProblems(where, deployment, manifests));
    if (!config) continue;
    const port = config.service.port;
    prefixes.set(service.name, config.events.kafka?.topicPrefix ?? '');
    if (!container.ports?.some((p) => p.containerPort === port)) {
      problems.push(`${where}: no containerPort ${port}, where the service listens (${service.settings.portVariable})`);
    }
    problems.push(...probeProblems(where, container, port));
    const services = manifests.filter(
      (m) => m.kind === 'Service' && matches(m.spec?.selector as Record<string, string>, pod?.metadata?.labels),
    );
    if (services.length === 0) problems.push(`${where}: no Service selects its pods`);
    for (const target of services.flatMap((s) => s.spec?.ports ?? [])) {
      const targetPort = namedPort(container, target.targetPort ?? target.port);
      if (targetPort !== port)
        problems.push(`${where}: the Service sends to port ${targetPort ?? target.targetPort}, the service listens on ${port}`);
    }
    const scrapePort = pod?.metadata?.annotations?.['prometheus.io/port'];
    if (scrapePort !== undefined && Number(scrapePort) !== port)
      problems.push(`${where}: prometheus.io/port is ${scrapePort}, not ${port}`);
  }
  const jobs = manifests.filter(
    (m) => m.kind === 'Job' && m.spec?.template?.spec?.containers?.some((c) => /kafka-topics(\.sh)?\b.*--create/s.test(scriptOf(c))),
  );
  if (jobs.length !== 1) problems.push(`kubernetes: ${jobs.length} topic-creation Jobs (kafka-topics.sh --create), want 1`);
  for (const job of jobs) {
    const where = `kubernetes Job ${job.metadata?.name}`;
    const container = job.spec?.template?.spec?.containers?.find((c) => /kafka-topics/.test(scriptOf(c))) as Container;
    const resolution: string[] = [];
    const env = podEnv(container, manifests, resolution);
    problems.push(...resolution.map((problem) => `${where}: ${problem}`));
    problems.push(...topicJobProblems(where, env, scriptOf(container), prefixes));
    problems.push(...nonRootProblems(where, job, container, undefined));
  }
  return problems;
}

const scriptOf = (container: Container): string => [...(container.command ?? []), ...(container.args ?? [])].join(' ');

/** A service that must keep a replica through node drains has a PodDisruptionBudget that still lets one go. */
function disruptionProblems(where: string, deployment: Manifest, manifests: Manifest[]): string[] {
  const replicas = deployment.spec?.replicas ?? 1;
  if (replicas < 2) return [`${where}: ${replicas} replica; run two or more so that one keeps serving`];
  const budgets = manifests.filter(
    (m) => m.kind === 'PodDisruptionBudget' && matches(m.spec?.selector?.matchLabels, deployment.spec?.template?.metadata?.labels),
  );
  if (budgets.length === 0) return [`${where}: no PodDisruptionBudget keeps a replica during node drains`];
  const problems: string[] = [];
  for (const budget of budgets) {
    const { minAvailable, maxUnavailable } = budget.spec ?? {};
    if (typeof minAvailable === 'number' && (minAvailable < 1 || minAvailable >= replicas)) {
      problems.push(
        `${where}: PodDisruptionBudget minAvailable ${minAvailable} with ${replicas} replicas keeps none or blocks every drain`,
      );
    }
    if (typeof maxUnavailable === 'number' && (maxUnavailable < 1 || maxUnavailable >= replicas)) {
      problems.push(`${where}: PodDisruptionBudget maxUnavailable ${maxUnavailable} with ${replicas} replicas`);
    }
  }
  return problems;
}
