import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiProblem } from '../../api/client.ts';

/** A read in progress, done, or failed with the API's problem. */
export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'done'; readonly value: T }
  | { readonly state: 'failed'; readonly problem: ApiProblem };

/** The API's problem of a failed call; anything else (a bug, the network) as a problem of status 0. */
export function problemOf(error: unknown): ApiProblem {
  if (error instanceof ApiError) return error.problem;
  return { status: 0, title: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs `load` when `keys` change and keeps its outcome; `reload` runs it again. An answer that
 * arrives after the keys changed is dropped, so a slow read never overwrites a newer one.
 */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[]): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    load().then(
      (value) => live && setLoaded({ state: 'done', value }),
      (error: unknown) => live && setLoaded({ state: 'failed', problem: problemOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [...keys, round]);
  return [loaded, reload];
}
