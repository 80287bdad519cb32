import { Injectable } from '@nestjs/common';
import { annualStatistics, type AgencyStatistics } from '../disclosure-core/annual-statistics';
import { PublicDecisionsRepository } from './public-decisions.repository';
import { PublicRosterRepository } from './public-roster.repository';

/** Each agency's statistics of a year, as the public API and the portal publish them (国办发〔2018〕118号). */
@Injectable()
export class AnnualStatisticsService {
  constructor(
    private readonly decisions: PublicDecisionsRepository,
    private readonly roster: PublicRosterRepository,
  ) {}

  async ofYear(year: number, now = new Date()): Promise<AgencyStatistics[]> {
    const [agencies, rows] = await Promise.all([this.roster.agencies(), this.decisions.statisticsRowsOf(year)]);
    return annualStatistics(year, rows, new Map(agencies.map((agency) => [agency.id, agency.name])), now);
  }
}
