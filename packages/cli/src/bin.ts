#!/usr/bin/env node
// The `evroute` executable; all behaviour lives in main.ts.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
