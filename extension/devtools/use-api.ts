import { useEffect, useState } from 'preact/hooks';
import type { ApiAnswer, ProfileCall } from '../messages.js';
import { askProfile } from './background.js';

/**
 * A profile call's answer, asked again whenever the call or `refresh` changes. The previous
 * answer stays on screen until the next one arrives, so refreshing does not flicker.
 */
export function useProfileCall<T>(tabId: number, call: ProfileCall | null, refresh = 0): ApiAnswer<T> | null {
  const [answer, setAnswer] = useState<ApiAnswer<T> | null>(null);
  const key = JSON.stringify(call);
  useEffect(() => {
    if (call === null) return;
    let current = true;
    askProfile<T>(tabId, call)
      .then((next) => current && setAnswer(next))
      .catch((error: unknown) => current && setAnswer({ ok: false, status: 0, message: String(error), fromLoupe: false }));
    return () => {
      current = false;
    };
  }, [tabId, key, refresh]);
  return answer;
}

/** Saves a `.cpuprofile` the API answered with, as a file the browser downloads. */
export function download(body: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(body)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
