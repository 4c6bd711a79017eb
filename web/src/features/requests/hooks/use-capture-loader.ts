import { useEffect, useState, useSyncExternalStore } from 'react';
import { errorMessage, useApi } from '../../../lib/api-client';
import { listRequests } from '../api/requests-api';
import type { CaptureStore } from '../stores/capture-store';

/** Most captures held for one endpoint; older ones are not loaded (the list says so). */
export const MAX_LOADED = 20_000;
const FIRST_OLDER_PAGE = 200;
const OLDER_PAGE = 1000; // the API's maximum

export interface LoaderState {
  loading: boolean;
  error: string | null;
}

/**
 * Loads the selected endpoint's history in the background, newest pages first, once its first
 * page is in the store (the app seeds it), until the oldest capture or MAX_LOADED.
 */
export function useCaptureLoader(store: CaptureStore, endpointId: string | null): LoaderState {
  const api = useApi();
  const [state, setState] = useState<LoaderState>({ loading: false, error: null });
  const nextBefore = useSyncExternalStore(store.subscribe, () => (endpointId ? store.get(endpointId).nextBefore : null));
  const seeded = nextBefore !== undefined;

  useEffect(() => {
    if (!endpointId || !seeded) return;
    const controller = new AbortController();
    let first = true;
    const run = async () => {
      for (;;) {
        const current = store.get(endpointId);
        if (current.nextBefore === null || current.nextBefore === undefined || current.items.length >= MAX_LOADED) break;
        setState({ loading: true, error: null });
        const page = await listRequests(api, endpointId, { limit: first ? FIRST_OLDER_PAGE : OLDER_PAGE, before: current.nextBefore });
        if (controller.signal.aborted) return;
        first = false;
        store.addPage(endpointId, page, true);
      }
      setState({ loading: false, error: null });
    };
    run().catch((error: unknown) => {
      if (!controller.signal.aborted) setState({ loading: false, error: errorMessage(error) });
    });
    return () => controller.abort();
  }, [api, store, endpointId, seeded]);
  return state;
}
