// Injection token of the service's own prom-client registry (not the global one, so several
// apps in one test process never share metrics).
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
