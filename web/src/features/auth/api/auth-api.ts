import { z } from 'zod';
import { ApiClient, ApiRequestError } from '../../../lib/api-client';

/** Null when the server accepts the token, else the reason in a sentence. */
export async function checkToken(token: string): Promise<string | null> {
  try {
    await new ApiClient(token).request(z.array(z.unknown()), '/api/endpoints');
    return null;
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) return 'The server did not accept this token.';
    return error instanceof Error ? error.message : String(error);
  }
}
