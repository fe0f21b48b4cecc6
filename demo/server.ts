import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { createDemoApp } from './app.js';

const DEFAULT_PORT = 3000;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

const requested = Number(process.env.PORT ?? DEFAULT_PORT);
const { app, loupe } = createDemoApp();
const server = createServer(app);
let port: number;
try {
  port = await listen(server, requested);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || process.env.PORT !== undefined) throw error;
  port = await listen(server, 0);
}

const extensionDir = resolve(process.cwd(), 'dist/extension');
const mode = process.env.NODE_ENV === 'production' ? 'production' : 'development';
console.log(`Loupe demo (${mode} mode) at http://127.0.0.1:${port}/`);
console.log(`Records: http://127.0.0.1:${port}/__loupe/api/requests`);
console.log(`
Load the extension from ${extensionDir}
  Chromium: chrome://extensions → Developer mode → Load unpacked → pick that folder
  Firefox:  about:debugging#/runtime/this-firefox → Load Temporary Add-on → pick manifest.json in it
Then open the demo: the toolbar sits at the bottom of every page. Ctrl+C stops the demo.`);

const stop = () => {
  server.close();
  void loupe?.close();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
