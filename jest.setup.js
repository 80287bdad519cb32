// Every test runs in UTC so that date handling cannot pass by accident of the machine's zone.
process.env.TZ = 'UTC';
require('reflect-metadata');
