// Metrics (prom-client, one registry per service) and trace context (W3C, OpenTelemetry) for every service.
export {};
