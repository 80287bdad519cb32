import { AgencySettingsCache } from './agency-settings-cache';

describe(AgencySettingsCache.name, () => {
  let now = 0;
  const sut = () => new AgencySettingsCache<string>(5_000, () => now);

  it('reads an agency once within the period, again after it, and at once after a change here', async () => {
    const cache = sut();
    let reads = 0;
    const load = async () => `v${++reads}`;
    expect(await cache.get('a', load)).toBe('v1');
    now += 4_999;
    expect(await cache.get('a', load)).toBe('v1');
    now += 1;
    expect(await cache.get('a', load)).toBe('v2');
    cache.forget('a');
    expect(await cache.get('a', load)).toBe('v3');
  });

  it('keeps agencies apart', async () => {
    const cache = sut();
    expect(await cache.get('a', async () => 'of a')).toBe('of a');
    expect(await cache.get('b', async () => 'of b')).toBe('of b');
    expect(await cache.get('a', async () => 'other')).toBe('of a');
  });
});
