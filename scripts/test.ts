// `npm test`: type-check, lint, start a private stack on free ports, then run every test file against it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startStack } from './stack/index.ts';
import { buildWorkflowBundle } from '../workers/main.ts';

const root = process.cwd();
const args = process.argv.slice(2);
const quick = args.includes('--no-checks');
const only = args.filter((a) => !a.startsWith('--'));

function run(cmd: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { stdio: 'inherit', env });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

async function main(): Promise<number> {
  if (!quick) {
    console.log('▶ type-check');
    if ((await run('npx', ['tsc', '--noEmit'])) !== 0) return 1;
    console.log('▶ lint');
    if ((await run('npx', ['eslint', '.'])) !== 0) return 1;
  }
  if ((await run(process.execPath, ['scripts/ensure-chromium.mjs'])) !== 0) return 1;

  mkdirSync(join(root, 'data'), { recursive: true });
  const dataDir = mkdtempSync(join(root, 'data', 'test-'));
  console.log(`▶ starting Temporal, FerretDB and Chroma for the tests (data in ${relative(root, dataDir)})`);
  const stack = await startStack({ dataDir, ports: 'free', env: {} });
  let code = 1;
  try {
    const bundlePath = join(dataDir, 'workflow-bundle.js');
    writeFileSync(bundlePath, (await buildWorkflowBundle()).code);
    const files = only.length ? only : [...testFiles('test/unit'), ...testFiles('test/integration'), ...testFiles('test/e2e')];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_UI_URL: stack.temporalUiUrl,
      MONGODB_URI: stack.mongoUri,
      CHROMA_URL: stack.chromaUrl,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      THREADLINE_TEST_DATA: dataDir,
    };
    delete env.OPENAI_API_KEY;
    console.log(`▶ ${files.length} test files`);
    code = await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], env);
  } finally {
    await stack.stop();
    if (code === 0 && !process.env.KEEP_TEST_DATA) rmSync(dataDir, { recursive: true, force: true });
  }
  return code;
}

process.exitCode = await main();
