// The query API (and the commands a worklist sends), always with the signed-in user's token.
import { v7 as timeOrderedUuid } from 'uuid';
import { currentSession } from './session';

export interface Freshness {
  position: string;
  lastEventAt: string | null;
  lagMs?: number;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const headers = (extra: Record<string, string> = {}): Record<string, string> => {
  const session = currentSession();
  return { ...(session ? { authorization: `Bearer ${session.token}` } : {}), ...extra };
};

const failure = async (response: Response): Promise<ApiError> => {
  const problem = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
  return new ApiError(response.status, problem.detail ?? problem.title ?? `Feil ${response.status}`);
};

export const get = async <T>(path: string): Promise<T> => {
  const response = await fetch(path, { headers: headers({ accept: 'application/json' }) });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
};

export const getCsv = async (path: string): Promise<string> => {
  const response = await fetch(path, { headers: headers({ accept: 'text/csv' }) });
  if (!response.ok) throw await failure(response);
  return response.text();
};

/**
 * A command: JSON body, and an idempotency key so a double click records it once. The key is a UUIDv7, whose time the
 * server keeps in the command's event ids (ADR 0026).
 */
export const send = async <T>(method: 'POST' | 'PUT', path: string, body: unknown = {}): Promise<T> => {
  const response = await fetch(path, {
    method,
    headers: headers({ 'content-type': 'application/json', 'idempotency-key': timeOrderedUuid() }),
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json().catch(() => ({}))) as T;
};
