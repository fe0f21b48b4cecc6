/** A query parameter that must be a whole number in a range, if present. */
export type IntParam = { ok: true; value: number } | { ok: false; message: string };

export function intParam(
  params: URLSearchParams,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): IntParam {
  const all = params.getAll(name);
  if (all.length === 0) return { ok: true, value: fallback };
  const raw = all[0]!;
  if (all.length > 1 || !/^\d{1,9}$/.test(raw)) {
    return { ok: false, message: `${name} must be one whole number from ${min} to ${max}` };
  }
  const value = Number(raw);
  if (value < min || value > max) {
    return { ok: false, message: `${name} must be from ${min} to ${max}, got ${value}` };
  }
  return { ok: true, value };
}

/** A query parameter that must be one of a few words, if present. */
export function choiceParam<T extends string>(
  params: URLSearchParams,
  name: string,
  choices: readonly T[],
  fallback: T,
): { ok: true; value: T } | { ok: false; message: string } {
  const all = params.getAll(name);
  if (all.length === 0) return { ok: true, value: fallback };
  const value = all[0] as T;
  if (all.length > 1 || !choices.includes(value)) {
    return { ok: false, message: `${name} must be one of ${choices.join(', ')}` };
  }
  return { ok: true, value };
}
