import { defineServiceSettings } from '@enforcement/service-runtime';

/** The publicity service's own settings: only its port so far. */
export const publicitySettings = defineServiceSettings({
  name: 'publicity',
  portVariable: 'PUBLICITY_PORT',
  defaultPort: 3004,
  shape: {},
  build: () => ({}),
});
