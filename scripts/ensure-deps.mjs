// Runs before `npm start` and `npm test`: installs dependencies when node_modules is missing or stale.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
if (stale) {
  // `npm install` (which honours the lock file) rather than `npm ci`: npm ci refuses lock files whose optional
  // platform packages (@swc/core-*) the registry mirror does not list, although nothing here needs them.
  console.log('Installing dependencies (npm install) …');
  execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
}
