export * from './lib/china-day';
export * from './lib/calendar-year';
export * from './lib/working-day-calendar';
export * from './lib/official-calendar-years';
