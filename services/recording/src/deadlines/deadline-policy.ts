import { DEADLINE_RULES, type DeadlineKind, type DeadlineStatus } from './deadline-rules';

/** What the policy needs of a recorded step. */
export interface StepFacts {
  id: string;
  stepType: string;
  /** When the step happened: periods start and are met by the real event, not by its recording. */
  occurredAt: Date;
  fields: Readonly<Record<string, unknown>>;
}

/** What the policy needs of a deadline the case already has. */
export interface DeadlineFacts {
  id: string;
  kind: DeadlineKind;
  startedByRecordId: string;
  dueAt: Date;
  status: DeadlineStatus;
}

export interface PolicyInput {
  step: StepFacts;
  /** Every deadline of the case so far, whatever its status. */
  deadlines: readonly DeadlineFacts[];
  /** The case's latest decision recorded before `step`, if any: a service step needs to know its fine. */
  decision?: StepFacts;
}

export interface DeadlineStart {
  kind: DeadlineKind;
  startsAt: Date;
}

/** What a step does to the case's deadlines: ids to satisfy and to lapse, periods to start. */
export interface DeadlineEffects {
  start: DeadlineStart[];
  satisfy: string[];
  lapse: string[];
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
 * - receiving a decision with a fine (`fields.fineAmountFen > 0`) starts the party's 15 days to pay (Art. 67),
 *   met by an execution with `fields.paid === true`;
 * - closing (结案) ends every open period.
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
}

/** A fine in fen, as a JSON number or a string of digits (amounts may exceed the safe integer range). */
function hasFine(step: StepFacts): boolean {
  const amount = step.fields['fineAmountFen'];
  if (typeof amount === 'number') return Number.isFinite(amount) && amount > 0;
  if (typeof amount === 'string') return /^\d+$/.test(amount) && BigInt(amount) > 0n;
  return false;
}
