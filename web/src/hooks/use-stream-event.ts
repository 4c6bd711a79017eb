import { useContext, useEffect, useRef } from 'react';
import type { ServerMessage } from '../../../shared/stream';
import { StreamEventsContext } from '../lib/stream-events';

/** Calls `handler` for each stream message of `type` while the component is mounted. */
export function useStreamEvent<T extends ServerMessage['type']>(type: T, handler: (message: Extract<ServerMessage, { type: T }>) => void): void {
  const events = useContext(StreamEventsContext);
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => events.on(type, (message) => ref.current(message)), [events, type]);
}
