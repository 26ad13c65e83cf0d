import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The outside systems whose failures an operator wants to see apart. */
const DEPENDENCIES = ['directory', 'mongodb', 'broker', 'redis'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

/**
 * The service's Prometheus metrics, in a registry of its own (one per app, so tests and
 * benchmarks that run several apps in one process do not mix their figures).
 * Names follow Prometheus conventions: `_total` counters, `_seconds` histograms.
 */
export class Metrics {
  readonly registry = new Registry();

  private readonly started = new Counter({
    name: 'passport_sessions_started_total',
    help: 'Verification sessions started, by purpose',
    labelNames: ['purpose'] as const,
    registers: [this.registry],
  });

  private readonly finished = new Counter({
    name: 'passport_sessions_finished_total',
    help: 'Verification sessions that reached a final state, by purpose, outcome and reason',
    labelNames: ['purpose', 'outcome', 'reason'] as const,
    registers: [this.registry],
  });

  private readonly pollRoundTrip = new Histogram({
    name: 'passport_broker_poll_seconds',
    help: 'Round-trip time of one CIBA token poll to the broker, by answer',
    labelNames: ['answer'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly pushLatency = new Histogram({
    name: 'passport_status_push_seconds',
    help: 'From a state change being stored to its event reaching a subscriber',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly rereads = new Counter({
    name: 'passport_status_rereads_total',
    help: 'Changes a subscriber got from the periodic re-read of its session, not as an event',
    registers: [this.registry],
  });

  private readonly dependencyErrors = new Counter({
    name: 'passport_dependency_errors_total',
    help: 'Failed calls to an outside system, by dependency',
    labelNames: ['dependency'] as const,
    registers: [this.registry],
  });

  /** @param openSubscriptions read at scrape time: how many status subscriptions are open. */
  constructor(openSubscriptions: () => number) {
    new Gauge({
      name: 'passport_open_subscriptions',
      help: 'verificationStatus subscriptions open on this instance',
      registers: [this.registry],
      collect() {
        this.set(openSubscriptions());
      },
    });
    for (const dependency of DEPENDENCIES) {
      this.dependencyErrors.inc({ dependency }, 0);
    }
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts a session that was just created. */
  sessionStarted(purpose: string): void {
    this.started.inc({ purpose });
  }

  /** Counts a session that reached a final state (called once, by the instance that ended it). */
  sessionFinished(purpose: string, outcome: string, reason: string | undefined): void {
    this.finished.inc({ purpose, outcome, reason: reason ?? '' });
  }

  /** Records one broker poll's duration and what the broker answered. */
  pollAnswered(seconds: number, answer: string): void {
    this.pollRoundTrip.observe({ answer }, seconds);
  }

  /** Records the delay between a change being stored (its `at`) and its delivery. */
  pushed(changedAt: string): void {
    const seconds = (Date.now() - Date.parse(changedAt)) / 1000;
    if (Number.isFinite(seconds)) this.pushLatency.observe(Math.max(0, seconds));
  }

  /** Counts a change delivered by re-reading the session: its event was lost or late. */
  deliveredByReread(): void {
    this.rereads.inc();
  }

  /** Counts one failed call to an outside system. */
  dependencyFailed(dependency: Dependency): void {
    this.dependencyErrors.inc({ dependency });
  }

  /** The text exposition for GET /metrics. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
