import type { Sql } from '../pg-pool';

/** One numbered PostgreSQL schema step. `up` runs inside the runner's transaction. */
export interface PgMigration {
  version: number;
  name: string;
  up(sql: Sql): Promise<void>;
}
