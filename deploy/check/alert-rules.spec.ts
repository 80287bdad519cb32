import * as fs from 'node:fs';
import { load } from 'js-yaml';
import { alertRuleProblems, exposedSeries, seriesIn, unwatched, type RuleFile } from './alert-rules';
import { FILES } from './deployment-files';

const rules = load(fs.readFileSync(FILES.alerts, 'utf8')) as RuleFile;
const copy = (): RuleFile => structuredClone(rules);
const rule = (file: RuleFile, alert: string) => {
  const found = file.groups?.flatMap((group) => group.rules ?? []).find((r) => r.alert === alert);
  if (!found) throw new Error(`no alert ${alert}`);
  return found;
};

describe('the alert rules (deploy/prometheus/alerts.yml)', () => {
  let exposed: Set<string>;
  beforeAll(async () => {
    exposed = await exposedSeries();
  });

  it('read only metrics the services expose, and each has a duration, a severity and a summary', () => {
    expect(alertRuleProblems(rules, exposed)).toEqual([]);
  });

  it('watch the outbox, consumer lag, dead letters, overdue disclosures and reviews, and evidence fixity', () => {
    expect(unwatched(rules)).toEqual([]);
    const withoutFixity = copy();
    for (const group of withoutFixity.groups ?? []) group.rules = group.rules?.filter((r) => r.alert !== 'EvidenceFixityFailure');
    expect(unwatched(withoutFixity)).toEqual(['evidence_fixity_failures_total']);
  });

  it('a misspelt metric, or a histogram read under its bare name, is named', () => {
    const file = copy();
    rule(file, 'ConsumerLagHigh').expr = 'sum by (service, topic) (consumer_lag) > 1000';
    rule(file, 'HighServerErrorRate').expr = 'rate(http_request_duration_seconds{status=~"5.."}[5m]) > 0';
    expect(alertRuleProblems(file, exposed)).toEqual([
      'ConsumerLagHigh: consumer_lag is not a metric the services expose',
      'HighServerErrorRate: http_request_duration_seconds is not a metric the services expose',
    ]);
  });

  it('a rule without for:, with an unknown severity or without a summary is reported', () => {
    const file = copy();
    delete rule(file, 'ReviewsOverdue').for;
    rule(file, 'DisclosuresOverdue').labels = { severity: 'page' };
    delete rule(file, 'EventsDeadLettered').annotations?.['summary'];
    expect(alertRuleProblems(file, exposed)).toEqual([
      'EventsDeadLettered: no summary annotation',
      'DisclosuresOverdue: severity must be one of critical, warning',
      'ReviewsOverdue: no for: duration (a blip must not page)',
    ]);
  });

  it('reads series names past label matchers, ranges, label lists, strings and numbers', () => {
    expect(
      seriesIn('sum by (service, topic) (rate(relay_publish_errors_total{topic="a.b", x=~"y"}[5m] offset 1h)) / on(service) up > 1e3'),
    ).toEqual(['relay_publish_errors_total', 'up']);
    expect(seriesIn('max_over_time(outbox_backlog_events[15m:1m]) > bool 0.5')).toEqual(['outbox_backlog_events']);
  });
});
