import { ScheduledJob } from './scheduled-job';

class CountingJob extends ScheduledJob {
  runs = 0;

  constructor(intervalMs: number) {
    // No database is touched while the job stays off; a started one would take its lease through the DataSource.
    super({} as never, 'counting', intervalMs);
  }

  protected async run(): Promise<void> {
    this.runs += 1;
  }
}

describe(ScheduledJob.name, () => {
  it('is off with an interval of 0: booting and shutting down start and stop nothing', async () => {
    const job = new CountingJob(0);
    job.onApplicationBootstrap();
    await job.beforeApplicationShutdown();
    expect(job.runs).toBe(0);
  });

  it('refuses a negative interval at construction, as a misconfiguration', () => {
    expect(() => new CountingJob(-1)).toThrow('job counting: intervalMs must be positive');
  });
});
