import { useCallback, useEffect, useRef, useState } from 'react';
import type { EndpointView } from '../../../shared/endpoint';
import type { ServerMessage } from '../../../shared/stream';
import { listEndpoints } from '../features/endpoints/api/endpoints-api';
import { listRequests } from '../features/requests/api/requests-api';
import { CaptureStore } from '../features/requests/stores/capture-store';
import { errorMessage, type ApiClient } from '../lib/api-client';
import { StreamClient, streamUrl, type StreamStatus } from '../lib/stream-client';
import { StreamEvents } from '../lib/stream-events';

const FIRST_PAGE = 150; // captures shown at once for the selected endpoint

export interface LiveData {
  store: CaptureStore;
  /** Replay results and bulk progress, for the views that show them. */
  events: StreamEvents;
  endpoints: EndpointView[] | null;
  loadError: string | null;
  status: StreamStatus;
  /** Endpoints that got captures while not selected. */
  unseen: ReadonlySet<string>;
  upsertEndpoint: (endpoint: EndpointView) => void;
  removeEndpoint: (id: string) => void;
  markSeen: (id: string) => void;
}

/**
 * Endpoints and their captures, kept live: each endpoint's newest page is loaded first (its
 * newest id becomes the stream cursor), then the stream follows it from that cursor, across
 * reconnects, so every capture is shown once.
 */
export function useLiveData(api: ApiClient, token: string, onUnauthorized: () => void, preferredId: () => string | null): LiveData {
  const [store] = useState(() => new CaptureStore());
  const [events] = useState(() => new StreamEvents());
  const [endpoints, setEndpoints] = useState<EndpointView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [unseen, setUnseen] = useState<ReadonlySet<string>>(new Set());
  const client = useRef<StreamClient | null>(null);
  const seeding = useRef(new Set<string>()); // first page requested
  const followed = useRef(new Set<string>()); // first page in the store: the stream may resume from it
  const preferred = useRef(preferredId);
  preferred.current = preferredId;

  /** Loads an endpoint's newest page, then follows it on the stream from the page's newest id. */
  const seed = useCallback(async (endpointId: string, limit: number) => {
    if (seeding.current.has(endpointId)) return;
    seeding.current.add(endpointId);
    try {
      store.addPage(endpointId, await listRequests(api, endpointId, { limit }), false);
    } catch (error) {
      seeding.current.delete(endpointId); // retried on the next refresh
      throw error;
    }
    followed.current.add(endpointId);
    client.current?.follow([endpointId]);
  }, [api, store]);

  const upsertEndpoint = useCallback((endpoint: EndpointView) => {
    setEndpoints((list) => {
      const current = list ?? [];
      const at = current.findIndex((e) => e.id === endpoint.id);
      return at === -1 ? [...current, endpoint] : current.map((e) => (e.id === endpoint.id ? endpoint : e));
    });
    seed(endpoint.id, 1).catch(() => undefined);
  }, [seed]);

  const removeEndpoint = useCallback((id: string) => {
    setEndpoints((list) => list?.filter((e) => e.id !== id) ?? null);
    seeding.current.delete(id);
    followed.current.delete(id);
    client.current?.unfollow(id);
    store.forget(id);
  }, [store]);

  const markSeen = useCallback((id: string) => {
    setUnseen((set) => (set.has(id) ? new Set([...set].filter((x) => x !== id)) : set));
  }, []);

  /** Loads the endpoint list and seeds every endpoint not seeded yet (at start and after reconnects). */
  const refresh = useCallback(async () => {
    try {
      const list = await listEndpoints(api);
      setEndpoints(list);
      setLoadError(null);
      const wanted = preferred.current() ?? list[0]?.id;
      await Promise.all(list.map((endpoint) => seed(endpoint.id, endpoint.id === wanted ? FIRST_PAGE : 1)));
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  }, [api, seed]);

  useEffect(() => {
    let first = true;
    const onMessage = (message: ServerMessage) => {
      switch (message.type) {
        case 'capture':
          store.receive(message.capture);
          if (message.capture.endpointId !== preferred.current()) {
            setUnseen((set) => (set.has(message.capture.endpointId) ? set : new Set([...set, message.capture.endpointId])));
          }
          break;
        case 'capture-deleted':
          store.remove(message.endpointId, message.id);
          break;
        case 'captures-cleared':
          store.clear(message.endpointId);
          break;
        case 'endpoint-updated':
          upsertEndpoint(message.endpoint);
          break;
        case 'endpoint-deleted':
          removeEndpoint(message.endpointId);
          break;
        default:
          break;
      }
      events.emit(message);
    };
    const stream = new StreamClient({
      url: streamUrl(), token, cursorOf: store.cursorOf, onMessage, onUnauthorized,
      onStatus: (next) => {
        setStatus(next);
        if (next === 'live' && !first) void refresh(); // renames or new endpoints missed while away
        if (next === 'live') first = false;
      },
    });
    client.current = stream;
    stream.follow([...followed.current]);
    stream.start();
    void refresh();
    return () => {
      stream.stop();
      client.current = null;
    };
  }, [token, store, events, refresh, upsertEndpoint, removeEndpoint, onUnauthorized]);

  return { store, events, endpoints, loadError, status, unseen, upsertEndpoint, removeEndpoint, markSeen };
}
