// `node examples/quickstart/dist/main.js <events.jsonl>`: runs the quickstart over a file and exits.
import { buildApp } from './app.js';

const events = process.argv[2] ?? new URL('../events.jsonl', import.meta.url).pathname;
const router = buildApp({ events, ledger: 'ledger.jsonl', deadLetters: 'dead-letters.jsonl' });
await router.start();
await router.finished(); // a file source is finite: every event is written and acknowledged
await router.stop();
const stats = router.stats();
process.stdout.write(`${stats.acknowledged} events: ${stats.outputs} ledger rows, ${stats.deadLettered} dead letters\n`);
