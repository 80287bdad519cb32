const { jestConfig } = require('../../jest.preset');

// The deployment files (deploy/compose, deploy/kubernetes, deploy/docker, deploy/prometheus) against the services'
// real configuration schemas and the topic registry.
module.exports = jestConfig(__dirname);
