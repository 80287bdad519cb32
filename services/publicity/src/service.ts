import type { ServiceDefinition } from '@enforcement/service-runtime';
import { PublicityAppModule } from './app/publicity-app.module';
import { publicitySettings } from './config/publicity-settings';

export const publicityService: ServiceDefinition = {
  name: 'publicity',
  title: 'Publicity service',
  description: 'Before, during and after enforcement disclosures and the public portal (行政执法公示)',
  settings: publicitySettings,
  rootModule: (context) => PublicityAppModule.forRoot(context),
};
