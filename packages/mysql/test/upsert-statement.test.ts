import { compileUpsert, mergeExpression } from '@evroute/mysql';
import { describe, expect, it } from 'vitest';
import { WIDE_TABLE, wrongbookSpecs } from './fixtures/wrongbook-model.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('compileUpsert: merge policies rendered as MySQL', () => {
  it('renders each policy with VALUES(col) for the incoming value (MariaDB has no row alias)', () => {
    const { plan } = compileUpsert('t', {
      key: ['id'],
      columns: {
        a: { merge: 'overwrite' },
        b: { merge: 'overwrite-if-not-null' },
        c: { merge: 'fill-if-null' },
        v: {},
        w: {},
        d: { merge: { newestBy: 'v' } },
        e: { merge: { newestBy: ['v', 'w', 'unwritten'] } },
      },
    });
    const sql = (column: string): string => {
      const a = plan.assignments.find((x) => x.column === column);
      if (a === undefined) throw new Error(column);
      return mergeExpression(column, a.rule, plan);
    };
    expect(sql('a')).toBe('VALUES(`a`)');
    expect(sql('b')).toBe('COALESCE(VALUES(`b`), `b`)');
    expect(sql('c')).toBe('COALESCE(`c`, VALUES(`c`))');
    expect(sql('d')).toBe('IF(`v` IS NULL OR COALESCE(VALUES(`v`) >= `v`, FALSE), VALUES(`d`), `d`)');
    // Several columns: the greatest non-NULL time, stored against incoming; an unwritten column is NULL.
    expect(sql('e')).toBe(
      'IF(GREATEST(COALESCE(`v`, `w`, `unwritten`), COALESCE(`w`, `v`, `unwritten`), COALESCE(`unwritten`, `v`, `w`)) IS NULL OR ' +
        'COALESCE(GREATEST(COALESCE(VALUES(`v`), VALUES(`w`)), COALESCE(VALUES(`w`), VALUES(`v`))) >= ' +
        'GREATEST(COALESCE(`v`, `w`, `unwritten`), COALESCE(`w`, `v`, `unwritten`), COALESCE(`unwritten`, `v`, `w`)), FALSE), VALUES(`e`), `e`)',
    );
    expect(plan.assignments.map((x) => x.column).indexOf('e')).toBeLessThan(plan.assignments.map((x) => x.column).indexOf('v'));
  });

  it('renders the wrongbook fix output: key columns and set-once never updated, version columns after their readers', () => {
    const statement = compileUpsert(WIDE_TABLE, wrongbookSpecs.fix);
    expect(statement.head).toMatch(/^INSERT INTO `dwd_wrong_record_wide_delta` \(`id`, `wrong_id`, `user_id`, .*`process_time`\) VALUES $/);
    const order = statement.plan.assignments.map((a) => a.column);
    expect(order).not.toContain('id');
    expect(order).not.toContain('wrong_id');
    for (const reader of ['fix_id', 'fix_result', 'fix_result_desc', 'is_deleted']) expect(order.indexOf(reader)).toBeLessThan(order.indexOf('fix_time'));
    expect(order.indexOf('is_deleted')).toBeLessThan(order.indexOf('collect_time'));
    expect(statement.tail).toContain(
      '`is_deleted` = IF(COALESCE(VALUES(`is_deleted`), 0) <> 0, VALUES(`is_deleted`), IF(COALESCE(`is_deleted`, 0) <> 0 AND NOT COALESCE(' +
        'GREATEST(COALESCE(VALUES(`collect_time`), VALUES(`fix_time`)), COALESCE(VALUES(`fix_time`), VALUES(`collect_time`))) > `delete_time`, FALSE), ' +
        '`is_deleted`, VALUES(`is_deleted`)))',
    );
  });

  it('renders the delete output: a delete older than the stored add/fix time keeps the stored flag', () => {
    const { tail } = compileUpsert(WIDE_TABLE, wrongbookSpecs.delete);
    expect(tail).toContain(
      '`is_deleted` = IF(COALESCE(VALUES(`is_deleted`), 0) <> 0, IF(COALESCE(GREATEST(COALESCE(`collect_time`, `fix_time`), ' +
        'COALESCE(`fix_time`, `collect_time`)) > VALUES(`delete_time`), FALSE), `is_deleted`, VALUES(`is_deleted`)), ' +
        'IF(COALESCE(`is_deleted`, 0) <> 0, `is_deleted`, VALUES(`is_deleted`)))',
    );
    expect(tail.indexOf('`delete_time` =')).toBeGreaterThan(tail.indexOf('`delete_reason` ='));
  });

  it('keeps an all-set-once output an upsert with a no-op assignment', () => {
    expect(compileUpsert('db1.t', { key: ['id'], columns: { id: {}, a: { merge: 'set-once' } } }).tail).toBe(' ON DUPLICATE KEY UPDATE `id` = `id`');
    expect(compileUpsert('db1.t', { key: ['id'], columns: { a: {} } }).head).toBe('INSERT INTO `db1`.`t` (`id`, `a`) VALUES ');
  });

  it('refuses specs it cannot render, with coded errors', () => {
    expect(thrown(() => compileUpsert('t', { columns: { a: {} } }))).toMatchObject({ code: 'EVR_ERR_MYSQL_INVALID_SPEC' });
    expect(thrown(() => compileUpsert('t', { key: ['id'] }))).toMatchObject({ code: 'EVR_ERR_MYSQL_INVALID_SPEC' });
    expect(thrown(() => compileUpsert('t', { key: ['id'], columns: { a: { merge: { newestBy: 'v' } } } }))).toMatchObject({ code: 'EVR_ERR_MYSQL_INVALID_SPEC' });
    expect(thrown(() => compileUpsert('t', { key: ['id'], columns: { a: { merge: 'newest' as never } } }))).toMatchObject({ code: 'EVR_ERR_MYSQL_INVALID_SPEC' });
    expect(
      thrown(() => compileUpsert('t', { key: ['id'], columns: { a: { merge: { sticky: { since: 's', incoming: [] } } } } })),
    ).toMatchObject({ code: 'EVR_ERR_MYSQL_INVALID_SPEC' });
    expect(
      thrown(() => compileUpsert('t', { key: ['id'], columns: { a: { merge: { newestBy: 'b' } }, b: { merge: { sticky: { since: 'a', incoming: ['x'] } } } } })),
    ).toMatchObject({ code: 'EVR_ERR_MYSQL_MERGE_CYCLE', retriable: false });
  });

  it.each([
    'a`b', "a'b", 'a"b', 'a;b', 'a b', 'a--b', 'a/*b*/', '1abc', '', 'a'.repeat(65), 'é', 'a\nb', 'a.b.c', 'a#b',
  ])('refuses the identifier %j with EVR_ERR_MYSQL_IDENTIFIER', (name) => {
    expect(thrown(() => compileUpsert(name, { key: ['id'], columns: { x: {} } }))).toMatchObject({ code: 'EVR_ERR_MYSQL_IDENTIFIER', retriable: false });
    expect(thrown(() => compileUpsert('t', { key: ['id'], columns: { [name]: {} } }))).toMatchObject({ code: 'EVR_ERR_MYSQL_IDENTIFIER' });
    expect(thrown(() => compileUpsert('t', { key: [name], columns: { x: {} } }))).toMatchObject({ code: 'EVR_ERR_MYSQL_IDENTIFIER' });
  });
});
