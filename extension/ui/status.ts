/** The colour class of an HTTP status: success, redirect, client error, server error. */
export function statusClass(status: number): string {
  if (status >= 500) return 'status status-5xx';
  if (status >= 400) return 'status status-4xx';
  if (status >= 300) return 'status status-3xx';
  if (status >= 200) return 'status status-2xx';
  return 'status';
}
