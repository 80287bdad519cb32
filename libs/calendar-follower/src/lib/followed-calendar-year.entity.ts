import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A year of the working-day calendar as its owner (recording) last published it (CalendarYearLoaded). */
@Entity({ name: 'followed_calendar_years' })
export class FollowedCalendarYearEntity {
  @PrimaryColumn({ name: 'year', type: 'int' })
  year: number;

  /** 'YYYY-MM-DD', sorted. */
  @Column({ name: 'holidays', type: 'simple-json' })
  holidays: string[];

  /** Weekend days that are working days (调休), 'YYYY-MM-DD', sorted. */
  @Column({ name: 'working_weekend_days', type: 'simple-json' })
  workingWeekendDays: string[];

  @Column({ name: 'source', type: 'text' })
  source: string;

  /** When the owner loaded it: an older load arriving late never replaces a newer one. */
  @Column({ name: 'loaded_at', type: 'datetime', precision: 3 })
  loadedAt: Date;
}
