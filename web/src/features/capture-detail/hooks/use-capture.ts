import { useEffect, useState } from 'react';
import type { CaptureView } from '../../../../../shared/capture';
import { errorMessage, useApi } from '../../../lib/api-client';
import { getCapture } from '../api/capture-api';

export type CaptureLoad =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; capture: CaptureView };

/** The whole capture (headers, body, view) for the detail pane, fetched when the id changes. */
export function useCapture(id: string): CaptureLoad {
  const api = useApi();
  const [load, setLoad] = useState<CaptureLoad & { id: string }>({ status: 'loading', id });
  useEffect(() => {
    const controller = new AbortController();
    getCapture(api, id, controller.signal).then(
      (capture) => setLoad({ status: 'ready', capture, id }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ status: 'error', message: errorMessage(error), id });
      },
    );
    return () => controller.abort();
  }, [api, id]);
  return load.id === id ? load : { status: 'loading' };
}
