// Writes the generated SQL files of the example: sql/dimension-data.sql (the sample rows of the four
// dimension tables) and sql/wrongbook-tables.mysql.sql (the MySQL DDL copied from @evroute/mysql).
// Run after changing the generator or the migrations, then commit the files:
//   pnpm tsc -b examples/wrongbook && pnpm --filter @evroute/example-wrongbook make-sample-sql
// (Node runs this TypeScript file directly; it imports the built module.)
import { writeFileSync } from 'node:fs';
import { renderDimensionSql, renderMysqlTablesSql } from '../dist/sample-sql.js';

const sql = (name: string): URL => new URL(`../sql/${name}`, import.meta.url);
const data = renderDimensionSql();
writeFileSync(sql('dimension-data.sql'), data);
writeFileSync(sql('wrongbook-tables.mysql.sql'), await renderMysqlTablesSql());
process.stdout.write(`wrote sql/dimension-data.sql (${(data.length / 1024).toFixed(0)} KiB) and sql/wrongbook-tables.mysql.sql\n`);
