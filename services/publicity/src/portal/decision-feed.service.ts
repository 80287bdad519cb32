import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Observable, share } from 'rxjs';
import { DataSource, MoreThan } from 'typeorm';
import { DisclosureEntity } from '../disclosures/disclosure.entity';

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
export class DecisionFeed implements OnApplicationShutdown {
  private stopped = false;
  readonly decisions: Observable<FeedDecision>;

  constructor(private readonly dataSource: DataSource) {
    this.decisions = new Observable<FeedDecision>((subscriber) => {
      let since = new Date();
      let timer: NodeJS.Timeout | undefined;
      const poll = async () => {
        if (this.stopped) return;
        try {
          const rows = await this.dataSource.manager.find(DisclosureEntity, {
            where: { publishedAt: MoreThan(since), status: 'published' },
            order: { publishedAt: 'ASC' },
            take: 50,
          });
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
