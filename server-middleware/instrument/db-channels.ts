import { AsyncLocalStorage } from 'node:async_hooks';
import { tracingChannel, type TracingChannelSubscribers } from 'node:diagnostics_channel';
import { sharedHook } from './shared-hook.js';
import { captureSite, type CallSite } from './stack.js';
import { withoutLiterals } from './sql.js';
import { beginQuery, endQuery, failQuery, rowsOfResult } from './query-recorder.js';
import { currentTrace, type QueryEvent } from './trace.js';

/** What the clients put in their tracing channels' context objects. */
interface ClientTraceContext {
  /** mysql2 */
  query?: string;
  values?: unknown;
  /** ioredis: the command's name, its args without it; node-redis: the name, its args with it. */
  command?: string;
  args?: unknown[];
  result?: unknown;
  error?: unknown;
}

interface ClientChannel {
  name: string;
  system: string;
  /** The query's text and parameters, from the client's context object. */
  describe(context: ClientTraceContext): { text: string; params: unknown };
}

const hasValues = (values: unknown) =>
  values !== undefined && values !== null && (!Array.isArray(values) || values.length > 0);

/**
 * mysql2's `query()` formats on the client: the text it reports has the values inlined, where
 * `queryParams: false` and redaction could not reach them. They are taken back out (as APMs'
 * SQL obfuscation does, the app's own literals with them) and shown only as parameters.
 * `execute()` sends a prepared statement and reports it with its placeholders.
 */
const mysqlQuery = ({ query, values }: ClientTraceContext) => {
  const text = String(query ?? '');
  return { text: hasValues(values) ? withoutLiterals(text) : text, params: values };
};
const mysqlExecute = ({ query, values }: ClientTraceContext) => ({ text: String(query ?? ''), params: values });

/**
 * The clients that publish their queries on tracing channels, as the installed versions do:
 * as mysql2 3.24, ioredis 5.11 and node-redis (@redis/client) 5.12 do. Redis arguments arrive
 * already sanitised by the clients (values of writes replaced by `?`).
 */
const CLIENT_CHANNELS: ClientChannel[] = [
  { name: 'mysql2:query', system: 'mysql', describe: mysqlQuery },
  { name: 'mysql2:execute', system: 'mysql', describe: mysqlExecute },
  {
    name: 'ioredis:command',
    system: 'redis',
    describe: ({ command, args = [] }) => ({ text: [command, ...args].join(' '), params: null }),
  },
  { name: 'node-redis:command', system: 'redis', describe: ({ args = [] }) => ({ text: args.join(' '), params: null }) },
];

const inFlight = new WeakMap<object, QueryEvent>();

function subscribersFor(channel: ClientChannel, poolSites: AsyncLocalStorage<CallSite | undefined>): TracingChannelSubscribers<ClientTraceContext> {
  return {
    start(context) {
      const { text, params } = channel.describe(context);
      const event = beginQuery(channel.system, text, params, poolSites.getStore() ?? null);
      if (event !== undefined) inFlight.set(context, event);
    },
    end() {},
    asyncStart() {},
    asyncEnd(context) {
      const event = inFlight.get(context);
      if (event === undefined) return;
      if (context.error === undefined) endQuery(event, context.result, rowsOfResult);
      else failQuery(event, context.error);
      inFlight.delete(context);
    },
    error(context) {
      const event = inFlight.get(context);
      if (event !== undefined) failQuery(event, context.error);
    },
  };
}

/**
 * A mysql2 pool's `query()` and `execute()` wait for a connection and start the query in its
 * callback, where no frame of the app's is left on the stack. The pool publishes that wait
 * (`mysql2:pool:connect`) while the app's frame is still there: its site is captured then and
 * carried into the callback, to the query's start.
 */
function carryPoolSites(poolSites: AsyncLocalStorage<CallSite | undefined>): () => void {
  const poolConnect = tracingChannel<unknown, object>('mysql2:pool:connect');
  const sites = new WeakMap<object, CallSite>();
  const start = (context: object) => {
    if (currentTrace() !== undefined) sites.set(context, captureSite());
  };
  poolConnect.start.subscribe(start as (message: unknown) => void);
  poolConnect.asyncStart.bindStore(poolSites, (context) => sites.get(context as object));
  return () => {
    poolConnect.start.unsubscribe(start as (message: unknown) => void);
    poolConnect.asyncStart.unbindStore(poolSites);
  };
}

export const hookDatabaseChannels = sharedHook(() => {
  const poolSites = new AsyncLocalStorage<CallSite | undefined>();
  const subscriptions = CLIENT_CHANNELS.map((channel) => ({
    channel: tracingChannel<unknown, ClientTraceContext>(channel.name),
    subscribers: subscribersFor(channel, poolSites),
  }));
  for (const { channel, subscribers } of subscriptions) channel.subscribe(subscribers);
  const stopCarrying = carryPoolSites(poolSites);
  return () => {
    stopCarrying();
    for (const { channel, subscribers } of subscriptions) channel.unsubscribe(subscribers);
  };
});
