import { Injectable } from '@nestjs/common';
import { Events, type legalReviewV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { AgencyProcedureSettingsEntity } from '../procedure/procedure-settings.entity';

/** Where the large amounts of an agency came from when its catalog set them (`catalog:v<version>`). */
export const CATALOG_SOURCE = /^catalog:v(\d+)$/;

const positive = (fen: bigint): string | null => (fen > 0n ? fen.toString() : null);

/**
 * The agency's major-decision catalog sets its "large amounts" (较大数额, Art. 63): each published version
 * (CatalogPublished) replaces the four amounts in the agency's procedure settings, which the hearing and legal
 * review rules read; the agency's other settings stay. A version older than the one applied changes nothing.
 */
@Injectable()
export class CatalogPublishedConsumer {
  @OnEvent(Events.CatalogPublished)
  async onCatalogPublished(event: legalReviewV1.CatalogPublished, { manager }: EventContext): Promise<void> {
    if (!event.agencyId || event.version < 1) throw new Error('CatalogPublished without agency or version');
    const held = await manager.findOneBy(AgencyProcedureSettingsEntity, { agencyId: event.agencyId });
    const appliedVersion = Number(CATALOG_SOURCE.exec(held?.source ?? '')?.[1] ?? 0);
    if (appliedVersion >= event.version) return;
    await manager.save(AgencyProcedureSettingsEntity, {
      agencyId: event.agencyId,
      largeFineFenNaturalPerson: positive(event.largeFineNaturalPersonFen),
      largeFineFenOrganisation: positive(event.largeFineOrganisationFen),
      largeConfiscationFenNaturalPerson: positive(event.largeConfiscationNaturalPersonFen),
      largeConfiscationFenOrganisation: positive(event.largeConfiscationOrganisationFen),
      statementPeriodWorkingDays: held?.statementPeriodWorkingDays ?? null,
      lateEntryLimitMinutes: held?.lateEntryLimitMinutes ?? null,
      footageUploadLimitMinutes: held?.footageUploadLimitMinutes ?? null,
      source: `catalog:v${event.version}`,
      updatedAt: new Date(),
    });
  }
}
