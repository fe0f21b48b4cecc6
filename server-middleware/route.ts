import type { IncomingMessage } from 'node:http';

/** Express's additions to the request that tell which route matched. */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/** The matched route pattern (`/users/:id`, with any router's mount path), when known. */
export function matchedRoute(req: IncomingMessage): string | null {
  const { route, baseUrl } = req as RoutedRequest;
  if (route?.path === undefined) return null;
  return (baseUrl ?? '') + String(route.path);
}
