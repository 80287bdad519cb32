import { Injectable } from '@nestjs/common';
import { Events, type legalReviewV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { ProcedureSettingsRepository } from '../procedure/procedure-settings.repository';

const positive = (fen: bigint): string | null => (fen > 0n ? fen.toString() : null);

/**
 * The agency's major-decision catalog sets its "large amounts" (较大数额, Art. 63): each published version
 * (CatalogPublished) replaces the four amounts in the agency's procedure settings, which the hearing and legal
 * review rules read; the agency's other settings stay. A version older than the one applied changes nothing.
 */
@Injectable()
export class CatalogPublishedConsumer {
  constructor(private readonly settings: ProcedureSettingsRepository) {}

  @OnEvent(Events.CatalogPublished)
  async onCatalogPublished(event: legalReviewV1.CatalogPublished, context: EventContext): Promise<void> {
    if (!event.agencyId || event.version < 1) throw new Error('CatalogPublished without agency or version');
    await this.settings.applyCatalogAmounts(context, event.agencyId, event.version, {
      largeFineFenNaturalPerson: positive(event.largeFineNaturalPersonFen),
      largeFineFenOrganisation: positive(event.largeFineOrganisationFen),
      largeConfiscationFenNaturalPerson: positive(event.largeConfiscationNaturalPersonFen),
      largeConfiscationFenOrganisation: positive(event.largeConfiscationOrganisationFen),
    });
  }
}
