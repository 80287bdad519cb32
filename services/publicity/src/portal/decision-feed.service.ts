import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Observable, share } from 'rxjs';
import { PublicDecisionsRepository } from '../public/public-decisions.repository';

export interface FeedDecision {
  id: string;
  decisionNumber: string;
  partyName: string;
  agencyName: string;
  decidedOn: string;
  violation: string;
}

export const FEED_POLL_MS = 2_000;

/**
 * New decisions for the portal's server-sent events: read from the database (so every instance of the service sees
 * what any instance published), polled only while someone listens, shared by all listeners of this instance.
 * Only the published record travels, never the original.
 */
@Injectable()
export class DecisionFeedService implements OnApplicationShutdown {
  private stopped = false;
  readonly decisions: Observable<FeedDecision>;

  constructor(private readonly publicDecisions: PublicDecisionsRepository) {
    this.decisions = new Observable<FeedDecision>((subscriber) => {
      let since = new Date();
      let timer: NodeJS.Timeout | undefined;
      const poll = async () => {
        if (this.stopped) return;
        try {
          const rows = await this.publicDecisions.publishedSince(since, 50);
          for (const row of rows) {
            if (row.publishedAt && row.publishedAt > since) since = row.publishedAt;
            const r = row.published;
            if (r)
              subscriber.next({
                id: row.id,
                decisionNumber: r.decisionNumber,
                partyName: r.partyName,
                agencyName: r.agencyName,
                decidedOn: r.decidedOn,
                violation: r.violation,
              });
          }
        } catch {
          // The database is away: the next poll tries again.
        }
        if (!this.stopped) {
          timer = setTimeout(() => void poll(), FEED_POLL_MS);
          timer.unref();
        }
      };
      timer = setTimeout(() => void poll(), FEED_POLL_MS);
      timer.unref();
      return () => clearTimeout(timer);
    }).pipe(share());
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }
}
