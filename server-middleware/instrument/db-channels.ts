import { tracingChannel, type TracingChannelSubscribers } from 'node:diagnostics_channel';
import { sharedHook } from './shared-hook.js';
import { beginQuery, endQuery, failQuery, rowsOfResult } from './query-recorder.js';
import type { QueryEvent } from './trace.js';

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

const mysql = (context: ClientTraceContext) => ({ text: String(context.query ?? ''), params: context.values });

/**
 * The clients that publish their queries on tracing channels, as the installed versions do:
 * as mysql2 3.24, ioredis 5.11 and node-redis (@redis/client) 5.12 do. Redis arguments arrive
 * already sanitised by the clients (values of writes replaced by `?`).
 */
const CLIENT_CHANNELS: ClientChannel[] = [
  { name: 'mysql2:query', system: 'mysql', describe: mysql },
  { name: 'mysql2:execute', system: 'mysql', describe: mysql },
  {
    name: 'ioredis:command',
    system: 'redis',
    describe: ({ command, args = [] }) => ({ text: [command, ...args].join(' '), params: null }),
  },
  { name: 'node-redis:command', system: 'redis', describe: ({ args = [] }) => ({ text: args.join(' '), params: null }) },
];

const inFlight = new WeakMap<object, QueryEvent>();

function subscribersFor(channel: ClientChannel): TracingChannelSubscribers<ClientTraceContext> {
  return {
    start(context) {
      const { text, params } = channel.describe(context);
      const event = beginQuery(channel.system, text, params);
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

export const hookDatabaseChannels = sharedHook(() => {
  const subscriptions = CLIENT_CHANNELS.map((channel) => ({
    channel: tracingChannel<unknown, ClientTraceContext>(channel.name),
    subscribers: subscribersFor(channel),
  }));
  for (const { channel, subscribers } of subscriptions) channel.subscribe(subscribers);
  return () => {
    for (const { channel, subscribers } of subscriptions) channel.unsubscribe(subscribers);
  };
});
