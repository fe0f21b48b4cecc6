/**
 * An app that survives uncaught exceptions (it listens for them), run in its own process by
 * panels-uncaught.test.ts: in the test runner's process they would fail the test run.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { loupe } from '../../server-middleware/index.js';

process.on('uncaughtException', () => {
  // Kept alive on purpose: the errors panel is what reports it.
});

const app = express();
app.use(loupe({ mode: 'development', profile: false }));
app.get('/late-throw', (_req, res) => {
  setTimeout(() => {
    throw new Error('thrown after the handler returned');
  }, 1);
  setTimeout(() => res.send('answered'), 30);
});
app.get('/late-reject', (_req, res) => {
  setTimeout(() => {
    void Promise.reject(new Error('rejected with nobody listening'));
  }, 1);
  setTimeout(() => res.send('answered'), 30);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
