import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/http.js';
import { recordOf } from './panels-app.js';

const APP = fileURLToPath(new URL('./panels-uncaught-app.ts', import.meta.url));
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', APP], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  url = `http://127.0.0.1:${line.toString().trim()}`;
});
afterAll(async () => {
  child.kill();
  await once(child, 'exit');
});

describe('errors panel: uncaught exceptions and unhandled rejections', () => {
  // tsx runs the app with source maps on, as `node --enable-source-maps` does: the stacks name
  // the TypeScript lines.
  it.each([
    ['/late-throw', 'thrown after the handler returned'],
    ['/late-reject', 'rejected with nobody listening'],
  ])('%s: the error is recorded with the request whose work raised it', async (path, message) => {
    const line = readFileSync(APP, 'utf8').split('\n').findIndex((text) => text.includes(message)) + 1;
    const response = await rawRequest(url + path);
    expect(response.body.toString()).toBe('answered');
    const record = await recordOf(url, response);
    expect(record.panels.errors!.errors).toMatchObject([{ source: 'uncaught', name: 'Error', message, sourceMapped: true }]);
    expect(record.panels.errors!.errors[0]!.stack).toContain(`panels-uncaught-app.ts:${line}:`);
  });
});
