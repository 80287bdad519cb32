import { Injectable } from '@nestjs/common';
import { TransactionalOutbox, type Transaction } from '@enforcement/events';
import { DomainEventBus } from '../case-core/domain-event.bus';

/**
 * One outbox transaction for a case command; once it has committed, the DomainEventBus runs what its
 * events queued for after the commit (the archive of a closed case).
 */
@Injectable()
export class CaseUnitOfWorkService {
  constructor(
    private readonly outbox: TransactionalOutbox,
    private readonly events: DomainEventBus<Transaction>,
  ) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    let committed: Transaction | undefined;
    const result = await this.outbox.run(async (tx) => {
      committed = tx;
      return work(tx);
    });
    if (committed) await this.events.committed(committed);
    return result;
  }
}
