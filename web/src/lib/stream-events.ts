import { createContext } from 'react';
import type { ServerMessage } from '../../../shared/stream';

type Listener<T extends ServerMessage['type']> = (message: Extract<ServerMessage, { type: T }>) => void;

/** Stream messages fanned out to the views that care (replay results, bulk progress). */
export class StreamEvents {
  private listeners = new Map<string, Set<(message: ServerMessage) => void>>();

  on<T extends ServerMessage['type']>(type: T, listener: Listener<T>): () => void {
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set);
    const wrapped = listener as (message: ServerMessage) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  emit(message: ServerMessage): void {
    for (const listener of [...(this.listeners.get(message.type) ?? [])]) listener(message);
  }
}

export const StreamEventsContext = createContext<StreamEvents>(new StreamEvents());
