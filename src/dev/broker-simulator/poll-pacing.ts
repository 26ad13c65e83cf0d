/** How much sooner than the interval a poll may come before it counts as early (clock jitter). */
const TOLERANCE_MS = 100;
/** CIBA Core §11: after slow_down the client must wait this much longer from then on. */
const SLOW_DOWN_SECONDS = 5;

/**
 * Each CIBA request's polls as the broker sees them: how many, how many came sooner than the
 * request's interval allows, and that interval (the advertised one, raised by each slow_down).
 */
export class PollPacing {
  private readonly last = new Map<string, number>();
  private readonly polls = new Map<string, number>();
  private readonly early = new Map<string, number>();
  private readonly intervals = new Map<string, number>();

  constructor(private readonly advertisedSeconds: number) {}

  /** Records a poll; true when it came too soon. */
  record(authReqId: string): boolean {
    const now = Date.now();
    const previous = this.last.get(authReqId);
    this.last.set(authReqId, now);
    this.polls.set(authReqId, this.count(authReqId) + 1);
    const early =
      previous !== undefined && now - previous < this.interval(authReqId) * 1000 - TOLERANCE_MS;
    if (early) this.early.set(authReqId, this.earlyCount(authReqId) + 1);
    return early;
  }

  /** Notes a slow_down answer: the request's interval grows by 5 s. */
  slowDown(authReqId: string): void {
    this.intervals.set(authReqId, this.interval(authReqId) + SLOW_DOWN_SECONDS);
  }

  /** Polls seen for the request. */
  count(authReqId: string): number {
    return this.polls.get(authReqId) ?? 0;
  }

  /** Polls that came sooner than the interval allowed at the time. */
  earlyCount(authReqId: string): number {
    return this.early.get(authReqId) ?? 0;
  }

  private interval(authReqId: string): number {
    return this.intervals.get(authReqId) ?? this.advertisedSeconds;
  }
}
