/**
 * Agencies' settings are read on every recorded step and change seldom: each instance keeps what it read this long.
 * A change made here shows at once (the writer forgets the agency); a change made on another instance shows within
 * the period.
 */
export const AGENCY_SETTINGS_CACHE_MS = 5_000;

export class AgencySettingsCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly ttlMs = AGENCY_SETTINGS_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async get(agencyId: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(agencyId);
    if (cached && cached.until > this.now()) return cached.value;
    const value = await load();
    this.entries.set(agencyId, { value, until: this.now() + this.ttlMs });
    return value;
  }

  forget(agencyId: string): void {
    this.entries.delete(agencyId);
  }
}
