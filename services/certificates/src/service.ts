import type { ServiceDefinition } from '@enforcement/service-runtime';
import { CertificatesAppModule } from './app/certificates-app.module';
import { certificatesSettings } from './config/certificates-settings';

export const certificatesService: ServiceDefinition = {
  name: 'certificates',
  title: 'Certificates service',
  description: 'Agencies, officers, enforcement certificates (行政执法证件) and legal-review qualifications',
  settings: certificatesSettings,
  rootModule: (context) => CertificatesAppModule.forRoot(context),
};
