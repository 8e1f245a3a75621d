// How often mcrd samples its event loop's delay, for the liveness check and for prom-client's
// nodejs_eventloop_lag_* metrics. Every sample is a timer wakeup of the JavaScript thread. Where
// mcrd shares a CPU with the engine's workers (taskset, a one-CPU container), such a wakeup can
// preempt a worker in the middle of a batch. The libraries' defaults (10 ms and 20 ms) added up to
// 150 wakeups a second, and under 450k pps the worker was preempted about 80 times a second and
// overflowed its socket buffer in some windows. A 100 ms sample still sees every stall that
// matters here (the liveness check fails at 5 s).
export const EVENT_LOOP_SAMPLE_MS = 100;
