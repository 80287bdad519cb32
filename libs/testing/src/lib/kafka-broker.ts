import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { freePort, spawnDaemon, waitUntilReady, type Daemon } from './infra/daemon';
import { KAFKA_LOG4J_CONFIG, kafkaClasspath } from './infra/tools';

/**
 * A real Apache Kafka broker (single node, KRaft, broker and controller in one JVM) on loopback, for
 * integration tests and local distributed runs. It can be killed hard and started again on the same log
 * directory and port, as a crashed broker restarted by its supervisor would be.
 */
export interface KafkaBroker {
  /** Bootstrap addresses, e.g. ['127.0.0.1:41035']. */
  readonly brokers: string[];
  readonly port: number;
  readonly logDir: string;
  /** The JVM's process id (changes with restart()). */
  pid(): number;
  /** Creates topics that do not exist yet and waits for their partition leaders. */
  createTopics(names: readonly string[], partitions?: number): Promise<void>;
  /** SIGKILL: no clean shutdown, nothing flushed beyond what the OS already has. */
  kill(): Promise<void>;
  /** Starts the broker again on the same log directory and ports; resolves when it answers. */
  restart(): Promise<void>;
  /** Stops the broker (SIGTERM) and deletes its data unless it was given a data directory. Idempotent. */
  stop(): Promise<void>;
}

export interface KafkaBrokerOptions {
  port?: number;
  controllerPort?: number;
  /** Where the log lives; kept after stop(). Default: a temporary directory removed by stop(). */
  dataDir?: string;
  /** Outlive this process, logging into this file (for `npm run infra`). */
  detachedLog?: string;
  heapMb?: number;
  /**
   * C2 compiling as in production, for benchmarks and long runs. Default: C1 only, which starts (and restarts) in a
   * fraction of the CPU: a test's broker lives minutes and carries little. A detached broker always compiles fully.
   */
  fullJit?: boolean;
  /** How long a start (or restart) may take before it fails. Default 180 s: a JVM on a loaded CI runner is slow. */
  startTimeoutMs?: number;
}

const HOST = '127.0.0.1';

export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const ownsData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'kafka-')));
  const logDir = path.join(dataDir, 'log');
  const port = options.port ?? (await freePort());
  const controllerPort = options.controllerPort ?? (await freePort());
  const brokers = [`${HOST}:${port}`];
  const properties = path.join(dataDir, 'server.properties');
  const timeoutMs = options.startTimeoutMs ?? 180_000;

  try {
    const classpath = await kafkaClasspath();
    await mkdir(logDir, { recursive: true });
    await writeFile(properties, serverProperties({ port, controllerPort, logDir }));
    // A log directory that already holds a cluster (a broker started again on its data) is used as it is:
    // formatting it anew would need its cluster id, which a new one would contradict.
    if (!existsSync(path.join(logDir, 'meta.properties'))) {
      const format = spawnDaemon(
        'java',
        [
          ...jvmArgs(128, true),
          '-cp',
          classpath,
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId(),
          '-c',
          properties,
          '--ignore-formatted',
        ],
        { name: 'kafka storage format' },
      );
      await format.exited;
      if (!/Formatting|already formatted/i.test(format.output())) {
        throw new Error(`formatting the Kafka log directory failed:\n${format.output()}`);
      }
    }
  } catch (error) {
    if (ownsData) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  let daemon: Daemon | undefined;
  const launch = async (): Promise<void> => {
    const classpath = await kafkaClasspath();
    const quickStart = !options.fullJit && options.detachedLog === undefined;
    daemon = spawnDaemon('java', [...jvmArgs(options.heapMb ?? 768, quickStart), '-cp', classpath, 'kafka.Kafka', properties], {
      name: 'kafka',
      detachedLog: options.detachedLog,
    });
    const started = daemon;
    await waitUntilReady(
      { name: `kafka broker on ${brokers[0]}`, running: started.running, output: started.output },
      () => answers(brokers),
      timeoutMs,
    );
  };

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await daemon?.stop();
    if (ownsData) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await launch();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    brokers,
    port,
    logDir,
    pid: () => daemon?.pid ?? -1,
    createTopics: (names, partitions = 3) => createTopics(brokers, names, partitions),
    kill: async () => {
      await daemon?.kill();
    },
    restart: async () => {
      if (daemon?.running()) throw new Error('restart(): the broker is still running; kill() or stop() it first');
      await launch();
    },
    stop: () => (stopped ??= stop()),
  };
}

function serverProperties(options: { port: number; controllerPort: number; logDir: string }): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${HOST}:${options.controllerPort}`,
    `listeners=PLAINTEXT://${HOST}:${options.port},CONTROLLER://${HOST}:${options.controllerPort}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${options.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${options.logDir}`,
    // One node: every internal topic has one replica, and nothing waits for members that will never come.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // A restarted broker re-registers only after its old session has lapsed: keep that short.
    'broker.session.timeout.ms=3000',
    'broker.heartbeat.interval.ms=500',
    // Topics come from the topic registry through the admin API; a typo must fail, not create a topic.
    'auto.create.topics.enable=false',
    'num.partitions=3',
    '',
  ].join('\n');
}

function jvmArgs(heapMb: number, quickStart: boolean): string[] {
  return [
    `-Xmx${heapMb}m`,
    `-Xms${Math.min(heapMb, 256)}m`,
    // Two cores are shared with the tests: a small collector, and (quickStart) no C2 compiling for a process that
    // runs seconds or minutes.
    '-XX:+UseSerialGC',
    ...(quickStart ? ['-XX:TieredStopAtLevel=1'] : []),
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${KAFKA_LOG4J_CONFIG}`,
  ];
}

/** Kafka's cluster ids are 16 random bytes in URL-safe base64; one that starts with '-' reads as a flag. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function answers(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'readiness',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1000,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Creates the topics that do not exist yet and waits until every partition of every named topic has a
 * leader. Safe while other suites create topics on the same broker: no listing of the whole cluster (a
 * topic someone else has just created may answer with an error there), and no kafkajs waitForLeaders, which
 * gives up on UNKNOWN_TOPIC_OR_PARTITION, what a KRaft broker answers until the controller's record of a new
 * topic has reached it.
 */
export async function createTopics(brokers: string[], names: readonly string[], partitions: number, timeoutMs = 60_000): Promise<void> {
  if (names.length === 0) return;
  const admin = new Kafka({ clientId: 'topic-setup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    // Topics that exist already are answered with TOPIC_ALREADY_EXISTS, which kafkajs takes as success.
    await admin.createTopics({
      waitForLeaders: false,
      topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
    await waitForLeaders(admin, names, timeoutMs);
  } finally {
    await admin.disconnect();
  }
}

const NOT_YET_SERVED = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      const led = metadata.topics.filter(
        (topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
      );
      if (led.length === topics.length) return;
    } catch (error) {
      const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : undefined;
      if (type === undefined || !NOT_YET_SERVED.has(type)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics without partition leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
