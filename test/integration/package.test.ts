import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/http.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

beforeAll(async () => {
  await run(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], { cwd: root });
}, 60_000);

describe('the built package', () => {
  it('loads as `loupe-toolbar` in plain Node, as ESM and through require()', async () => {
    const esm = await run(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('loupe-toolbar'); console.log(typeof m.loupe, m.PROTOCOL_VERSION, m.HEADERS.id)"],
      { cwd: root },
    );
    expect(esm.stdout.trim()).toBe('function 1 X-Loupe-Id');
    const cjs = await run(process.execPath, ['-e', "console.log(typeof require('loupe-toolbar').loupe)"], { cwd: root });
    expect(cjs.stdout.trim()).toBe('function');
  });

  it('starts the demo on the port it prints, with Loupe on every response', async () => {
    const demo = spawn(process.execPath, ['dist/server/demo/server.js'], {
      cwd: root,
      env: { ...process.env, PORT: '0', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let output = '';
      demo.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        demo.stdout.on('data', (chunk: string) => {
          output += chunk;
          const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
          if (match !== null && output.includes('Load the extension')) resolve(match[1]!);
        });
        demo.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${output}`)));
      });
      expect(output).toMatch(/dist\/extension/);
      const response = await rawRequest(`${url}/`);
      expect(response.status).toBe(200);
      expect(response.headers['x-loupe-id']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    } finally {
      demo.kill('SIGTERM');
      await once(demo, 'exit');
    }
  });
});
