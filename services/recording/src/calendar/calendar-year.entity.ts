import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A year of the holiday arrangement as an administrator (or the platform's seed) loaded it. */
@Entity({ name: 'calendar_years' })
export class CalendarYearEntity {
  @PrimaryColumn({ name: 'year', type: 'int' })
  year: number;

  /** 'YYYY-MM-DD', sorted. */
  @Column({ name: 'holidays', type: 'simple-json' })
  holidays: string[];

  /** Weekend days that are working days (调休), 'YYYY-MM-DD', sorted. */
  @Column({ name: 'working_weekend_days', type: 'simple-json' })
  workingWeekendDays: string[];

  /** Where the data comes from, e.g. the State Council General Office notice. */
  @Column({ name: 'source', type: 'text' })
  source: string;

  /** The user id of the administrator, or 'platform-seed'. */
  @Column({ name: 'loaded_by', type: 'varchar', length: 64 })
  loadedBy: string;

  @Column({ name: 'loaded_at', type: 'datetime', precision: 3 })
  loadedAt: Date;
}
