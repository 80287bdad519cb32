import { isAlterationKind } from '../case-core/case-course';
import { fineFenOf } from '../case-core/fines';
import { RecordingError } from '../case-core/recording.error';
import { DEADLINE_RULES, type DeadlineKind, type DeadlineStatus } from './deadline-rules';

/** What the policy needs of a recorded step. */
export interface StepFacts {
  id: string;
  stepType: string;
  /** When the step happened: periods start and are met by the real event, not by its recording. */
  occurredAt: Date;
  fields: Readonly<Record<string, unknown>>;
  /** A correction's corrected record. */
  correctsRecordId?: string | null;
}

/** What the policy needs of a deadline the case already has. */
export interface DeadlineFacts {
  id: string;
  kind: DeadlineKind;
  startedByRecordId: string;
  dueAt: Date;
  status: DeadlineStatus;
  satisfiedByRecordId?: string | null;
}

export interface PolicyInput {
  step: StepFacts;
  /** Every deadline of the case so far, whatever its status. */
  deadlines: readonly DeadlineFacts[];
  /** The case's latest decision recorded before `step`, if any: a service step needs to know its fine. */
  decision?: StepFacts;
  /** The agency's length of an extension of the decision period (Art. 60), for the head's approval of one. */
  decisionExtensionDays?: number;
}

export interface DeadlineStart {
  kind: DeadlineKind;
  startsAt: Date;
}

/**
 * What a step does to the case's deadlines: ids to satisfy and to lapse, periods to start; and, only where the step
 * does any (absent otherwise), periods to extend, suspend, resume, cancel, move or re-amount.
 */
export interface DeadlineEffects {
  start: DeadlineStart[];
  satisfy: string[];
  lapse: string[];
  /** The agency head's extension (Art. 60): the period gets `days` more. */
  extend?: Array<{ id: string; days: number }>;
  /** The case is suspended: the period stands still from the step on. */
  suspend?: string[];
  /** The case resumes: the period runs again, longer by the days it stood still. */
  resume?: string[];
  /** What the period was for is gone (a revoked or void decision: nothing to serve or pay). */
  cancel?: string[];
  /** A correction moved the time of the step that started (`startsAt`) or met (`satisfiedAt`) the period. */
  move?: Array<{ id: string; startsAt?: Date; satisfiedAt?: Date }>;
  /** A changed decision changed the fine a payment period is for. */
  amount?: Array<{ id: string; amountFen: string }>;
}

/**
 * Which statutory periods a recorded step starts and which it meets (Administrative Penalty Law):
 *
 * - opening (立案) starts the 90 days for the decision (Art. 60), met by the decision;
 * - evidence-hold (先行登记保存) starts 7 working days to deal with the evidence (Art. 56, 85), met by the
 *   evidence-hold-release naming it in `fields.holdRecordId`, or by the decision;
 * - notice (告知) opens the party's 5 working days to ask for a hearing (Art. 64, 85): the party's window, not
 *   a duty; a hearing-request within it meets it, otherwise it lapses;
 * - a decision with `fields.partyPresent === false` starts 7 working days to serve it (Art. 61, 85), met by
 *   service; otherwise it was handed over on the spot (Art. 61), which is also when the party received it;
 * - receiving a decision with a fine among its penalties (or an older `fields.fineAmountFen`) starts the party's
 *   15 days to pay (Art. 67), met by an execution with `fields.paid === true`;
 * - the agency head's approval of an extension (decision-extension-approval, not the officers' request) adds
 *   the agency's extension to the decision period, a suspension stops it and the resumption restarts it, longer by
 *   the days it stood still (Art. 60);
 * - a decision revoked or confirmed void cancels its service and payment periods; a changed one re-amounts the
 *   payment (or cancels it when the change leaves no fine) (Art. 48);
 * - a correction with `fields.correctedOccurredAt` moves the periods the corrected record started or met;
 * - closing (结案) ends every open period, and a suspended decision period.
 *
 * Each step starts a kind at most once; the decision and payment periods at most once per case.
 */
export class DeadlinePolicy {
  effectsOf(input: PolicyInput): DeadlineEffects {
    const { step } = input;
    const open = input.deadlines.filter((deadline) => deadline.status === 'open');
    const openOf = (kind: DeadlineKind) => open.filter((deadline) => deadline.kind === kind);
    const effects: DeadlineEffects = { start: [], satisfy: [], lapse: [] };
    const satisfy = (deadlines: readonly DeadlineFacts[]) => effects.satisfy.push(...deadlines.map((deadline) => deadline.id));
    const suspendedOf = (kind: DeadlineKind) =>
      input.deadlines.filter((deadline) => deadline.kind === kind && deadline.status === 'suspended');
    const add = <K extends 'extend' | 'suspend' | 'resume' | 'cancel' | 'amount'>(key: K, items: NonNullable<DeadlineEffects[K]>) => {
      if (items.length > 0) (effects[key] as unknown[]) = [...((effects[key] as unknown[] | undefined) ?? []), ...items];
    };
    const startOnce = (kind: DeadlineKind) => {
      if (!input.deadlines.some((deadline) => deadline.kind === kind)) effects.start.push({ kind, startsAt: step.occurredAt });
    };

    switch (step.stepType) {
      case 'opening':
        startOnce('decision-90d');
        break;
      case 'evidence-hold':
        effects.start.push({ kind: 'evidence-hold-7wd', startsAt: step.occurredAt });
        break;
      case 'evidence-hold-release': {
        const holdRecordId = step.fields['holdRecordId'];
        satisfy(openOf('evidence-hold-7wd').filter((deadline) => deadline.startedByRecordId === holdRecordId));
        break;
      }
      case 'notice':
        effects.start.push({ kind: 'hearing-request-5wd', startsAt: step.occurredAt });
        break;
      case 'hearing-request':
        // A request after the window is late: the window lapsed before it (the lapse below).
        satisfy(openOf('hearing-request-5wd').filter((deadline) => step.occurredAt < deadline.dueAt));
        break;
      case 'decision':
        satisfy(openOf('decision-90d'));
        // Deciding is dealing with the evidence held in advance (Art. 56: 作出处理决定).
        satisfy(openOf('evidence-hold-7wd'));
        if (step.fields['partyPresent'] === false) effects.start.push({ kind: 'service-7wd', startsAt: step.occurredAt });
        // Handed over on the spot (Art. 61): the party received it now, and the 15 days run from now.
        else if (hasFine(step)) startOnce('payment-15d');
        break;
      case 'service':
        satisfy(openOf('service-7wd'));
        if (input.decision && hasFine(input.decision)) startOnce('payment-15d');
        break;
      case 'execution':
        if (step.fields['paid'] === true) satisfy(openOf('payment-15d'));
        break;
      case 'closing':
        satisfy(open.filter((deadline) => !(DEADLINE_RULES[deadline.kind].informational && deadline.dueAt <= step.occurredAt)));
        satisfy(suspendedOf('decision-90d'));
        break;
      case 'decision-extension-approval':
        // Art. 60: the head's approval adds the agency's length to the decision period, running or suspended. A
        // period already run out is not extended after the fact: the case stays overdue on record.
        checkNotLapsed(openOf('decision-90d'), step.occurredAt);
        add(
          'extend',
          [...openOf('decision-90d'), ...suspendedOf('decision-90d')].map(({ id }) => ({ id, days: input.decisionExtensionDays ?? 0 })),
        );
        break;
      case 'suspension':
        add(
          'suspend',
          openOf('decision-90d').map(({ id }) => id),
        );
        break;
      case 'resumption':
        add(
          'resume',
          suspendedOf('decision-90d').map(({ id }) => id),
        );
        break;
      case 'decision-alteration': {
        const kind = step.fields['kind'];
        if (!isAlterationKind(kind)) break;
        if (kind === 'revoked' || kind === 'confirmed-void') {
          // Art. 48: nothing of a revoked or void decision is served or paid any more.
          add(
            'cancel',
            [...openOf('service-7wd'), ...openOf('payment-15d')].map(({ id }) => id),
          );
        } else if (kind === 'changed' && Array.isArray(step.fields['penalties'])) {
          const fine = fineFenOf(step.fields);
          const payments = openOf('payment-15d');
          if (fine === 0n)
            add(
              'cancel',
              payments.map(({ id }) => id),
            );
          else
            add(
              'amount',
              payments.map(({ id }) => ({ id, amountFen: fine.toString() })),
            );
        }
        break;
      }
      case 'correction':
        this.corrected(input, effects);
        break;
      default:
        break;
    }

    // The party's windows that ended before this step and were not met by it have lapsed.
    const satisfied = new Set(effects.satisfy);
    effects.lapse = open
      .filter((deadline) => DEADLINE_RULES[deadline.kind].informational && deadline.dueAt <= step.occurredAt && !satisfied.has(deadline.id))
      .map((deadline) => deadline.id);
    return effects;
  }

  /**
   * A correction (更正) that gives the corrected record's true time in `fields.correctedOccurredAt` moves the periods
   * that record started, and the time it met the ones it satisfied: the periods follow the facts as corrected.
   */
  private corrected(input: PolicyInput, effects: DeadlineEffects): void {
    const recordId = input.step.correctsRecordId;
    const at = input.step.fields['correctedOccurredAt'];
    const correctedAt = typeof at === 'string' ? new Date(at) : undefined;
    if (!recordId || !correctedAt || Number.isNaN(correctedAt.getTime())) return;
    const move = input.deadlines.flatMap((deadline) => [
      ...(deadline.startedByRecordId === recordId ? [{ id: deadline.id, startsAt: correctedAt }] : []),
      ...(deadline.satisfiedByRecordId === recordId ? [{ id: deadline.id, satisfiedAt: correctedAt }] : []),
    ]);
    if (move.length > 0) effects.move = move;
  }
}

/** Art. 67: a decision with a fine among its penalties (or, written before penalties were listed, a `fineAmountFen`). */
function hasFine(step: StepFacts): boolean {
  return fineFenOf(step.fields) > 0n;
}

/** An extension approved once the decision period has run out would turn an overdue case into a timely one. */
function checkNotLapsed(periods: readonly DeadlineFacts[], approvedAt: Date): void {
  const lapsed = periods.find((period) => period.dueAt.getTime() <= approvedAt.getTime());
  if (lapsed === undefined) return;
  throw new RecordingError('DECISION_PERIOD_EXPIRED', '办案期限已经届满，不能再批准延长', 'refused', {
    article: DEADLINE_RULES['decision-90d'].article,
    details: { dueAt: lapsed.dueAt.toISOString() },
  });
}
