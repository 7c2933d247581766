'use strict';
// Readiness probe used by scripts/services.sh (only when kafkajs is resolvable
// from the repo root; otherwise services.sh falls back to grepping the broker
// log). "Ready" means: a Metadata request (kafkajs admin.describeCluster)
// returns at least one broker, i.e. the broker has registered with its own
// KRaft controller, is unfenced and serves client requests -- the same path
// the application's kafkajs clients will take.
//
// usage: node wait-ready.cjs <kafkajs-module-path> <host:port> <deadline-epoch-ms> <broker-pid>
// exit:  0 ready, 2 deadline passed, 3 broker process died, 4 usage/load error
// All output goes to stderr (stdout of services.sh is reserved for export lines).

const [kafkajsPath, broker, deadlineArg, pidArg] = process.argv.slice(2);
if (!kafkajsPath || !broker || !deadlineArg || !pidArg) {
  console.error('usage: wait-ready.cjs <kafkajs> <host:port> <deadline-ms> <pid>');
  process.exit(4);
}
const deadline = Number(deadlineArg);
const pid = Number(pidArg);

let kafkajs;
try {
  kafkajs = require(kafkajsPath);
} catch (err) {
  console.error(`wait-ready: cannot load kafkajs from ${kafkajsPath}: ${err.message}`);
  process.exit(4);
}
const { Kafka, logLevel } = kafkajs;

function brokerAlive() {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM'; // exists but not ours to signal: still alive
  }
}

async function probeOnce() {
  const kafka = new Kafka({
    clientId: 'evroute-services-probe',
    brokers: [broker],
    logLevel: logLevel.NOTHING, // failures are expected while the broker boots
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

void (async () => {
  let lastError = 'no attempt yet';
  while (Date.now() < deadline) {
    if (!brokerAlive()) {
      console.error(`wait-ready: broker process ${pid} exited`);
      process.exit(3);
    }
    try {
      if (await probeOnce()) process.exit(0);
      lastError = 'metadata response listed no brokers';
    } catch (err) {
      lastError = err && err.message ? err.message : String(err);
    }
    await sleep(300);
  }
  console.error(`wait-ready: ${broker} not ready before the deadline (last error: ${lastError})`);
  process.exit(2);
})();
