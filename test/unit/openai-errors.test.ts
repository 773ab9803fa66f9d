import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { OpenAIEmbedder } from '../../integrations/embeddings/openai.ts';
import { OpenAIAnswerer } from '../../integrations/llm/openai.ts';
import { IntegrationError } from '../../integrations/types.ts';

// A few lines of the OpenAI HTTP API, enough to see how the SDK's answers and failures are mapped.
let server: Server;
let baseURL = '';
let reply: { status: number; headers?: Record<string, string>; body: unknown } = { status: 200, body: {} };

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  baseURL = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1`;
});
after(() => server.close());

const embedder = () => new OpenAIEmbedder({ apiKey: 'k', model: 'text-embedding-3-small', baseURL, dimensions: 3 });
const failsWith = (check: (e: IntegrationError) => boolean) => (err: unknown) => err instanceof IntegrationError && check(err);

test('embeddings come back in input order', async () => {
  reply = { status: 200, body: { data: [{ index: 1, embedding: [0, 1, 0] }, { index: 0, embedding: [1, 0, 0] }], model: 'm', object: 'list', usage: {} } };
  assert.deepEqual(await embedder().embed(['a', 'b']), [[1, 0, 0], [0, 1, 0]]);
});

test('429 with Retry-After is a rate limit that says how long to wait', async () => {
  reply = { status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'slow down' } } };
  await assert.rejects(embedder().embed(['a']), failsWith((e) => e.type === 'rate_limited' && e.retryable && e.retryAfterMs === 3000));
});

test('5xx is retryable, 401 is not', async () => {
  reply = { status: 502, body: { error: { message: 'bad gateway' } } };
  await assert.rejects(embedder().embed(['a']), failsWith((e) => e.type === 'unavailable' && e.retryable));
  reply = { status: 401, body: { error: { message: 'bad key' } } };
  const answerer = new OpenAIAnswerer({ apiKey: 'k', model: 'm', baseURL, minConfidence: 0.35 });
  const chunk = { id: 'c', sourceId: 's', url: 'u', title: 't', heading: '', text: 'x', pageHash: 'h', score: 1 };
  await assert.rejects(answerer.answer({ question: 'q', chunks: [chunk], history: [] }), failsWith((e) => e.type === 'unauthorized' && !e.retryable));
});
