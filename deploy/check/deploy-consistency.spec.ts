import { ALL_TOPICS } from '@enforcement/contracts';
import { composeProblems, deploymentProblems, imageProblems, kubernetesProblems, SERVICES } from './deploy-consistency';
import { composeValue, readDeploymentFiles, type Container, type DeploymentFiles, type Manifest } from './deployment-files';

const real = readDeploymentFiles();

/** A deep copy of the real files to break one thing in. */
const copy = (): DeploymentFiles => structuredClone(real);

const envOf = (files: DeploymentFiles, service: string) => files.compose.services[service].environment as Record<string, string>;

const manifest = (files: DeploymentFiles, kind: string, name: string): Manifest => {
  const found = files.manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

const container = (files: DeploymentFiles, kind: string, name: string): Container =>
  manifest(files, kind, name).spec?.template?.spec?.containers?.[0] as Container;

const problemsOf = (files: DeploymentFiles) => deploymentProblems(files);

describe('the deployment files (deploy/docker, deploy/compose, deploy/kubernetes, deploy/prometheus)', () => {
  it('agree with every service configuration, the topic registry, the ports and probes, and run as non-root', () => {
    expect(SERVICES.map((service) => service.name)).toEqual(['certificates', 'recording', 'legal-review', 'publicity']);
    expect(deploymentProblems(real)).toEqual([]);
  });

  it('names every variable that a compose service cannot do without, when it is removed', () => {
    const required = new Map<string, string[]>();
    for (const service of SERVICES) {
      for (const name of Object.keys(envOf(real, service.name))) {
        const files = copy();
        delete envOf(files, service.name)[name];
        const problems = composeProblems(files.compose, files.prometheus);
        if (problems.length === 0) continue;
        expect(problems.filter((problem) => problem.startsWith(`compose ${service.name}: `) && problem.includes(name))).not.toEqual([]);
        required.set(service.name, [...(required.get(service.name) ?? []), name]);
      }
    }
    // What the services' configuration makes necessary on Kafka, MySQL and S3, as derived above.
    const distributed = ['AUTH_PUBLIC_KEY', 'DATABASE_URL', 'KAFKA_BROKERS', 'MINIO_ACCESS_KEY', 'MINIO_ENDPOINT', 'MINIO_OBJECT_LOCK'];
    const sorted = (names: string[]) => [...names].filter((name) => name !== 'SERVICE').sort();
    expect(sorted(required.get('legal-review') ?? [])).toEqual([...distributed, 'MINIO_SECRET_KEY']);
    for (const service of ['certificates', 'recording', 'publicity']) {
      expect(sorted(required.get(service) ?? [])).toEqual([...distributed, 'FIELD_ENCRYPTION_KEY', 'MINIO_SECRET_KEY'].sort());
    }
  });

  describe('a variable a service requires', () => {
    it('removed from a compose service is named, with the service', () => {
      const files = copy();
      delete envOf(files, 'recording')['FIELD_ENCRYPTION_KEY'];
      expect(composeProblems(files.compose, files.prometheus)).toEqual([
        'compose recording: FIELD_ENCRYPTION_KEY: required with KAFKA_BROKERS (a key file is for embedded mode)',
      ]);
    });

    it('that only the deployment mode makes necessary (DATABASE_URL) is named too', () => {
      const files = copy();
      delete envOf(files, 'legal-review')['DATABASE_URL'];
      expect(composeProblems(files.compose, files.prometheus)).toEqual([
        "compose legal-review: DATABASE_URL is missing: the service would keep its data in SQLite on the container's disk",
      ]);
    });

    it('removed from a Deployment is named, with the service', () => {
      const files = copy();
      const certificates = container(files, 'Deployment', 'certificates');
      certificates.env = certificates.env?.filter((variable) => variable.name !== 'DATABASE_URL');
      expect(problemsOf(files)).toEqual([
        "kubernetes certificates: DATABASE_URL is missing: the service would keep its data in SQLite on the container's disk",
      ]);
    });

    it('removed from the shared ConfigMap is named for every service that needs it, and for the topic job', () => {
      const files = copy();
      delete manifest(files, 'ConfigMap', 'enforcement-common').data?.['AUTH_JWKS_URL'];
      expect(problemsOf(files)).toEqual(
        SERVICES.map(
          (service) => `kubernetes ${service.name}: AUTH_JWKS_URL: AUTH_JWKS_URL or AUTH_PUBLIC_KEY is required with KAFKA_BROKERS`,
        ),
      );
      delete manifest(files, 'ConfigMap', 'enforcement-common').data?.['KAFKA_BROKERS'];
      const problems = problemsOf(files);
      expect(problems).toContain('kubernetes publicity: KAFKA_BROKERS is missing: events would never leave the process');
      expect(problems).toContain(
        'kubernetes Job enforcement-topics: KAFKA_BROKERS: key KAFKA_BROKERS of ConfigMap enforcement-common does not exist',
      );
    });

    it('whose Secret lacks the key is named with the Secret', () => {
      const files = copy();
      delete manifest(files, 'Secret', 'recording-secrets').stringData?.['FIELD_ENCRYPTION_KEY'];
      expect(problemsOf(files)).toEqual([
        'kubernetes recording: FIELD_ENCRYPTION_KEY: key FIELD_ENCRYPTION_KEY of Secret recording-secrets does not exist',
        'kubernetes recording: FIELD_ENCRYPTION_KEY: required with KAFKA_BROKERS (a key file is for embedded mode)',
      ]);
    });

    it('with a value the schema refuses, or under a misspelt name, is reported', () => {
      const files = copy();
      envOf(files, 'publicity')['MINIO_OBJECT_LOCK'] = 'yes';
      envOf(files, 'certificates')['PUBLIC_BASE_URLS'] = 'https://zhifa.example.gov.cn';
      expect(problemsOf(files)).toEqual([
        'compose certificates: PUBLIC_BASE_URLS is not a setting of the certificates service',
        expect.stringMatching(/^compose publicity: MINIO_OBJECT_LOCK: /),
      ]);
    });

    it('set to something that falls back to the container disk or to no retention is reported', () => {
      const files = copy();
      delete envOf(files, 'recording')['MINIO_ENDPOINT'];
      envOf(files, 'publicity')['MINIO_OBJECT_LOCK'] = 'false';
      expect(problemsOf(files)).toEqual([
        "compose recording: MINIO_ENDPOINT is missing: objects would go to the container's disk",
        'compose publicity: MINIO_OBJECT_LOCK is not true: stored evidence would get no retention',
      ]);
    });
  });

  describe('topics', () => {
    it('a topic of the registry left out of the compose job is named', () => {
      const files = copy();
      const job = files.compose.services['topics'].environment as Record<string, string>;
      job['TOPICS'] = job['TOPICS'].replace(ALL_TOPICS[2], '');
      expect(problemsOf(files)).toEqual([`compose topics: topic ${ALL_TOPICS[2]} of the registry is not created`]);
    });

    it('a topic left out of the Kubernetes Job is named, and so is a prefix the services do not use', () => {
      const files = copy();
      const job = container(files, 'Job', 'enforcement-topics');
      const topics = job.env?.find((variable) => variable.name === 'TOPICS');
      if (topics) topics.value = ALL_TOPICS.slice(1).join(' ');
      (files.compose.services['topics'].environment as Record<string, string>)['KAFKA_TOPIC_PREFIX'] = 'staging.';
      const problems = problemsOf(files);
      expect(problems).toContain(`kubernetes Job enforcement-topics: topic ${ALL_TOPICS[0]} of the registry is not created`);
      expect(problems).toContain("compose topics: creates topics with prefix 'staging.' but recording uses KAFKA_TOPIC_PREFIX ''");
      expect(problems).toHaveLength(1 + SERVICES.length);
    });
  });

  describe('ports and probes', () => {
    it('a service port that differs from the published port, the healthcheck and the scrape target is reported', () => {
      const files = copy();
      envOf(files, 'publicity')['PUBLICITY_PORT'] = '3005';
      expect(problemsOf(files)).toEqual([
        'compose publicity: publishes container port 3004, the service listens on 3005',
        'compose publicity: the healthcheck asks port 3004/health, the service listens on 3005',
        'compose publicity: prometheus.yml does not scrape publicity:3005',
      ]);
    });

    it('a containerPort, probe or Service that misses the service port is reported', () => {
      const files = copy();
      const legalReview = container(files, 'Deployment', 'legal-review');
      legalReview.ports = [{ name: 'http', containerPort: 8080 }];
      const recording = container(files, 'Deployment', 'recording');
      if (recording.readinessProbe?.httpGet) recording.readinessProbe.httpGet.path = '/healthz';
      delete recording.livenessProbe;
      expect(problemsOf(files)).toEqual([
        'kubernetes recording: readinessProbe asks /healthz, not /health',
        'kubernetes recording: no livenessProbe',
        'kubernetes legal-review: no containerPort 3003, where the service listens (LEGAL_REVIEW_PORT)',
        'kubernetes legal-review: readinessProbe asks port 8080, the service listens on 3003',
        'kubernetes legal-review: livenessProbe asks port 8080, the service listens on 3003',
        'kubernetes legal-review: startupProbe asks port 8080, the service listens on 3003',
        'kubernetes legal-review: the Service sends to port 8080, the service listens on 3003',
      ]);
    });
  });

  describe('non-root', () => {
    it('an image whose final stage has no USER, or USER root, is reported', () => {
      const withoutUser = real.dockerfile.replace(/^USER .*$/m, '');
      expect(imageProblems(withoutUser)).toEqual(['image: the final stage runs as root; set USER to a non-root user']);
      // A USER in the build stage does not count for the image.
      const userInBuildStage = withoutUser.replace(/^WORKDIR \/app$/m, 'WORKDIR /app\nUSER 1000');
      expect(imageProblems(userInBuildStage)).toEqual(['image: the final stage runs as root; set USER to a non-root user']);
      expect(imageProblems(real.dockerfile.replace(/^USER .*$/m, 'USER node'))).toEqual([
        "image: USER node is not numeric, so Kubernetes' runAsNonRoot cannot check it",
      ]);
    });

    it('a Deployment or the Job without runAsNonRoot, or as user 0, is reported', () => {
      const files = copy();
      const publicity = manifest(files, 'Deployment', 'publicity').spec?.template?.spec;
      if (publicity?.securityContext) publicity.securityContext.runAsNonRoot = false;
      const job = container(files, 'Job', 'enforcement-topics');
      job.securityContext = { ...job.securityContext, runAsUser: 0 };
      files.compose.services['certificates'].user = 'root';
      expect(kubernetesProblems(files.manifests, '1000')).toEqual([
        'kubernetes publicity: securityContext.runAsNonRoot is not true',
        'kubernetes Job enforcement-topics: securityContext.runAsUser is 0 (root)',
      ]);
      expect(composeProblems(files.compose, files.prometheus)).toEqual(['compose certificates: runs as root']);
    });
  });

  it('a service with one replica or no PodDisruptionBudget is reported', () => {
    const files = copy();
    files.manifests = files.manifests.filter((m) => !(m.kind === 'PodDisruptionBudget' && m.metadata?.name === 'recording'));
    const publicity = manifest(files, 'Deployment', 'publicity');
    if (publicity.spec) publicity.spec.replicas = 1;
    expect(problemsOf(files)).toEqual([
      'kubernetes recording: no PodDisruptionBudget keeps a replica during node drains',
      'kubernetes publicity: 1 replica; run two or more so that one keeps serving',
    ]);
  });

  it("reads compose's interpolation as compose does", () => {
    expect(composeValue('${A:-fallback}')).toEqual({ kind: 'literal', value: 'fallback' });
    expect(composeValue('${A-}')).toEqual({ kind: 'literal', value: '' });
    expect(composeValue('${A:?set A}')).toEqual({ kind: 'operator', from: '${A}' });
    expect(composeValue('$A')).toEqual({ kind: 'operator', from: '${A}' });
    expect(composeValue('mysql://u:${P:?}@h/db')).toEqual({ kind: 'literal', value: 'mysql://u:operator-value@h/db' });
    expect(composeValue('cost $$5')).toEqual({ kind: 'literal', value: 'cost $5' });
  });
});
