#!/usr/bin/env node
// The installed `evroute` command. It is a committed file (not the build output) so that package
// managers can link it on the first install of a fresh clone, before dist/ is built.
await import('../dist/bin.js');
