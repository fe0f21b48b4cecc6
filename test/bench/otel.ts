/**
 * The `otel` variant's tracing, loaded with `--import` before the bench app so that the
 * instrumentations are in place when the app imports `node:http` and `express`: the way the
 * OpenTelemetry docs tell users to start the Node SDK.
 *
 * The app is ESM (run through tsx), so `require` hooks alone would miss `import express`: the
 * import-in-the-middle loader hook is registered too, as the docs say for ESM apps. Whether
 * the instrumentation really produces spans is not taken on trust: `run.ts` asks for the
 * count of exported spans after its warm-up and prints it.
 */
import { register } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { BatchSpanProcessor, InMemorySpanExporter, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** How often the exported spans are dropped, so that the exporter cannot grow without bound. */
const RESET_EVERY_MS = 1000;

export interface SpanCountMessage {
  spans: number;
}

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const exporter = new InMemorySpanExporter();
// The batch processor, not the simple one: it is what the OpenTelemetry docs recommend for
// anything but debugging, so it is what a user would run in production. It hands finished
// spans to the exporter in batches of up to 512 (at once when a batch is full, else every 5 s).
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
provider.register();
registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()] });

// Storing every span of a benchmark would measure a growing heap, not tracing: the spans are
// counted and dropped every second. Exporting to a real collector would cost more, not less.
let dropped = 0;
const exported = () => dropped + exporter.getFinishedSpans().length;
setInterval(() => {
  dropped += exporter.getFinishedSpans().length;
  exporter.reset();
}, RESET_EVERY_MS).unref();

process.on('message', (message: unknown) => {
  if (message === 'span-count') void provider.forceFlush().then(() => process.send?.({ spans: exported() } satisfies SpanCountMessage));
});
