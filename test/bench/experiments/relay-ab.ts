import { Events } from '@enforcement/contracts';
import {
  DEFAULT_RELAY_OPTIONS,
  EVENT_BACKBONE_ENTITIES,
  EVENT_BACKBONE_MIGRATIONS,
  KafkaTransport,
  OutboxRelay,
} from '@enforcement/events';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, startKafkaMock, type KafkaMock, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { formatTable, measureRate, runScenario, type Scenario } from '../harness';
import type { Drainer } from '../scenarios/relay-throughput.bench';
import { bulkStage } from '../support/bulk-stage';
import { quietLogger } from '../support/quiet-logger';
import { CandidateRelay, type CandidateChanges } from './candidate-relay';

/**
 * Head to head: OutboxRelay, or CandidateRelay with the changes listed in the 4th argument (baseline),
 * against CandidateRelay with the changes listed in the 1st (subject), each draining the same staged
 * events from its own database, paired per round. Answers "does change X help" with less noise than
 * comparing two separate relay-vs-raw runs.
 *   node scripts/run-ts.js test/bench/experiments/relay-ab.ts leanSelect,leanMark,lazyLease,pipeline [rounds] [batchSize] [baseline changes]
 */
const parseChanges = (listed: string): CandidateChanges => ({
  leanSelect: listed.includes('leanSelect'),
  leanMark: listed.includes('leanMark'),
  lazyLease: listed.includes('lazyLease'),
  pipeline: listed.includes('pipeline'),
});
const listed = process.argv[2] ?? '';
const changes = parseChanges(listed);
const rounds = Number(process.argv[3] || 12);
const batchSize = Number(process.argv[4] || DEFAULT_RELAY_OPTIONS.batchSize);
const baselineListed = process.argv[5];
const EVENTS = 5000;
const TOPIC = Events.CaseClosed.topic;

interface Side {
  database: TestDatabase;
  dataSource?: DataSource;
  transport?: KafkaTransport;
  relay?: Drainer;
}

function scenario(): Scenario {
  let kafka: KafkaMock | undefined;
  const sides: Side[] = [];
  const stage = (dataSource: DataSource, round: number) =>
    bulkStage(dataSource, async (emit) => {
      for (let i = 0; i < EVENTS; i++) {
        const caseId = `case-${round}-${i % 64}`;
        await emit(Events.CaseClosed, { caseId, chainHead: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78' }, { partitionKey: caseId });
      }
    });
  const drain = async (side: Side) => {
    let sent = 0;
    const measurement = await measureRate(EVENTS, async () => {
      sent = (await side.relay?.drain()) ?? 0;
    });
    if (sent !== EVENTS) throw new Error(`drained ${sent}, expected ${EVENTS}`);
    return measurement;
  };
  return {
    name: `ab[${baselineListed ?? 'OutboxRelay'} → ${listed}]`,
    description: `${baselineListed === undefined ? 'OutboxRelay' : `CandidateRelay{${baselineListed}}`} (baseline) vs CandidateRelay{${listed}} (subject), batch ${batchSize}`,
    unit: 'events/s',
    higherIsBetter: true,
    rounds,
    warmupRounds: 1,
    async setup() {
      kafka = await startKafkaMock({ topics: [{ name: TOPIC, partitions: 3 }] });
      for (const which of ['current', 'candidate']) {
        const side: Side = { database: await createTestDatabase(`bench_ab_${which}`) };
        sides.push(side);
        side.dataSource = await openDatabase({
          url: side.database.url,
          sqliteFile: ':memory:',
          entities: EVENT_BACKBONE_ENTITIES,
          migrations: EVENT_BACKBONE_MIGRATIONS,
        });
        side.transport = new KafkaTransport({ brokers: kafka.brokers, clientId: which }, quietLogger);
        const options = { ...DEFAULT_RELAY_OPTIONS, batchSize, name: which };
        side.relay =
          which === 'candidate'
            ? new CandidateRelay(side.dataSource, side.transport, options, changes)
            : baselineListed === undefined
              ? new OutboxRelay(side.dataSource, side.transport, options, quietLogger)
              : new CandidateRelay(side.dataSource, side.transport, options, parseChanges(baselineListed));
      }
    },
    async round(index) {
      const [current, candidate] = sides;
      if (!current?.dataSource || !candidate?.dataSource) throw new Error('not set up');
      await stage(current.dataSource, index);
      await stage(candidate.dataSource, index);
      return { baseline: () => drain(current), subject: () => drain(candidate) };
    },
    async teardown() {
      for (const side of sides) {
        await Promise.allSettled([side.relay?.stop(), side.transport?.close()]);
        await side.dataSource?.destroy().catch(() => undefined);
        await side.database.drop();
      }
      await kafka?.stop();
    },
  };
}

void runScenario(scenario()).then((result) => {
  process.stdout.write(`${formatTable([result])}\n`);
  process.exit(result.error === undefined ? 0 : 1);
});
