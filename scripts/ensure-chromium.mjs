// Makes sure Debian's Chromium is present for the browser tests. playwright-core
// does not ship a browser, and the tests pin /usr/bin/chromium so that a run
// never depends on a download from the Playwright CDN.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

function fail(message) {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}

function run(command, args) {
  console.log(`ensure-chromium: $ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with status ${result.status}`);
}

if (existsSync(CHROMIUM)) {
  console.log(`ensure-chromium: ${CHROMIUM} is present`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  fail(
    `${CHROMIUM} is missing and this process is not root, so it cannot install it. ` +
      'Install it with: sudo apt-get install -y --no-install-recommends chromium',
  );
}
if (!existsSync('/usr/bin/apt-get')) {
  fail(`${CHROMIUM} is missing and apt-get is not available (this script expects Debian or Ubuntu).`);
}

console.log(`ensure-chromium: ${CHROMIUM} is missing; installing the Debian chromium package`);
run('apt-get', ['update']);
run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);

if (!existsSync(CHROMIUM)) fail(`apt-get finished but ${CHROMIUM} still does not exist`);
console.log(`ensure-chromium: installed ${CHROMIUM}`);
