/** Says, for each request the app sees, whether it is the one in N profiled in production. */
export interface SampleCounter {
  next(): boolean;
}

/** This process's own count: "every Nth" holds for the requests this process sees. */
export function localSampleCounter(every: number): SampleCounter {
  let count = 0;
  return { next: () => every > 0 && ++count % every === 0 };
}
