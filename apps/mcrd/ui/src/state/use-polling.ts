// Polls one API route at a fixed interval (never two requests in flight) while the page is
// visible, and hands every answer to the caller; errors are kept as text to show, not thrown.
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiGet } from '../api/client';

export interface Polled<T> {
  data?: T;
  error?: string;
  /** Polls now, e.g. right after an action changed something. */
  refresh(): void;
}

export function usePolling<T>(path: string, intervalMs: number, onData?: (data: T) => void): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const pollNow = useRef<() => void>(() => undefined);
  const handler = useRef(onData);
  handler.current = onData;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    const poll = async (): Promise<void> => {
      clearTimeout(timer);
      // A background tab asks nothing of mcrd; it polls again as soon as it is shown.
      if (document.hidden || inFlight) return;
      inFlight = true;
      try {
        const data = await apiGet<T>(path);
        if (stopped) return;
        handler.current?.(data);
        setState({ data });
      } catch (error) {
        if (!stopped) setState((previous) => ({ data: previous.data, error: (error as Error).message }));
      } finally {
        inFlight = false;
      }
      if (!stopped) timer = setTimeout(() => void poll(), intervalMs);
    };
    pollNow.current = () => void poll();
    const onVisibilityChange = (): void => void poll();
    document.addEventListener('visibilitychange', onVisibilityChange);
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [path, intervalMs]);

  return { ...state, refresh: () => pollNow.current() };
}
