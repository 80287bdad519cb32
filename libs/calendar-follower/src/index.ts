export * from './lib/calendar-follower.service';
export * from './lib/calendar-follower.module';
export * from './lib/followed-calendar-year.entity';
