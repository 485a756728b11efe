/**
 * The runs list's pages are ranges on the index `runs_by_created` (migration 001, kept by
 * 003), so a page deep in a long list costs what the first one does: no migration adds an
 * index for them. The conformance suite (conformance/runs.ts) checks what pages hold.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { prepareStatements, type Statements } from './sqlite-statements';

let db: Database.Database;
let q: Statements;

beforeEach(() => {
  db = openDatabase(':memory:');
  q = prepareStatements(db);
});

afterEach(() => db.close());

const planOf = (sql: string, params: Record<string, unknown>) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('SQLite runs list pages', () => {
  it('the first page scans runs_by_created from the newest run, without sorting the table', () => {
    const plan = planOf(q.listRuns.source, { limit: 201, status: null });
    expect(plan).toContain('runs_by_created');
    expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
  });

  it('a later page starts at its cursor: a range search on runs_by_created, with or without a status', () => {
    for (const status of [null, 'failed']) {
      const plan = planOf(q.listRunsBefore.source, { limit: 201, status, createdAt: 5, id: 'abc123' });
      expect(plan).toContain('SEARCH runs USING INDEX runs_by_created (created_at<?)');
      expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    }
  });
});
