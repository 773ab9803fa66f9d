import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('./widget.ts', import.meta.url));

// The widget never changes while the process runs, so it is bundled once;
// the promise (not the string) is cached so concurrent first requests share
// one build, and a failed build is retried on the next call.
let cached: Promise<string> | null = null;

export async function buildWidget(): Promise<string> {
  cached ??= bundle().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    // Host sites' visitors run old browsers; es2019 keeps `??`/`?.` out of the output.
    target: 'es2019',
    platform: 'browser',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for the widget');
  return file.text;
}
