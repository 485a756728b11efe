import type { Database } from 'better-sqlite3';

/** One numbered schema step. `up` runs inside the runner's transaction. */
export interface Migration {
  version: number;
  name: string;
  /**
   * The step rebuilds a table other tables reference (to change a constraint SQLite
   * cannot alter): the runner turns foreign keys off around the transaction, so dropping
   * the old table cascades nothing, and checks every reference before it commits.
   */
  rebuildsTables?: boolean;
  up(db: Database): void;
}
