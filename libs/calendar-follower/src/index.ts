export * from './lib/calendar-follower';
export * from './lib/calendar-follower.module';
export * from './lib/followed-calendar-year.entity';
