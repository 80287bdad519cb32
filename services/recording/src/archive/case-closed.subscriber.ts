import { Injectable, Logger } from '@nestjs/common';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { CaseArchiverService } from './case-archiver.service';

/**
 * Art. 47: a closed case's record is archived (ZIP with the chain and the evidence manifest), once the closing
 * has committed. A decision altered after closing (Art. 48: on reconsideration, by a court) is archived again: a new
 * version that holds the alteration, beside the earlier versions, which stay as they were and stay verifiable.
 * The case is closed (or altered) whatever happens here; a failed archive is logged and can be made again.
 */
@Injectable()
export class CaseClosedSubscriber {
  private readonly logger = new Logger(CaseClosedSubscriber.name);

  constructor(
    events: DomainEventBus,
    private readonly archiver: CaseArchiverService,
  ) {
    events.subscribe('CaseClosed', 'after-commit', (event) => this.archive(event.case.id));
    events.subscribe('DecisionAltered', 'after-commit', async (event) => {
      if (event.case.status === 'closed') await this.archive(event.case.id);
    });
  }

  private async archive(caseId: string): Promise<void> {
    try {
      await this.archiver.archive(caseId);
    } catch (error) {
      this.logger.error(`archiving case ${caseId} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
