import { ApiError } from '../core/errors';
import { isRetryableStatus, retryDelayMs } from './retry-policy';

export interface ApiRequesterOptions {
  apiKey: string;
  /** API origin, e.g. https://api.schematichq.com */
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  /** Per attempt, unless a call says otherwise. */
  timeoutMs: number;
  maxRetries: number;
  /** Sent on every request (`environmentId`, the `headers` option); flagwire's own headers win over these. */
  headers?: Readonly<Record<string, string>>;
  now: () => number;
  random: () => number;
  /** Waits between retries; injectable so tests can use fake timers. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT';
  /** Path below the base URL, already encoded. */
  path: string;
  body?: unknown;
  /** The body already serialised (event batches, made from events serialised when queued); wins over `body`. */
  json?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** Aborts the call, retries included (for callers with their own deadline). */
  signal?: AbortSignal;
}

export const SDK_NAME = 'flagwire';
export const SDK_VERSION = '0.1.0';

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls Schematic's REST API: the key in `X-Schematic-Api-Key`, JSON bodies, `{ data }` unwrapped,
 * a timeout per attempt, and retries with backoff for 408/429/5xx. Network failures are not retried here
 * (a check would rather serve its default now); callers that must deliver (events) retry on their own.
 */
export class ApiRequester {
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(private readonly options: ApiRequesterOptions) {
    this.sleep = options.sleep ?? abortableSleep;
    this.headers = requestHeaders(options.apiKey, options.headers ?? {});
  }

  /** Makes the call and returns the response's `data`. @throws ApiError */
  async call<T>(call: ApiCall): Promise<T> {
    const maxRetries = call.maxRetries ?? this.options.maxRetries;
    for (let attempt = 0; ; attempt++) {
      const response = await this.attempt(call);
      if (response.ok) return this.data<T>(response, call);
      const body = await response.text().catch(() => '');
      const parsed = safeJson(body);
      if (attempt >= maxRetries || !isRetryableStatus(response.status)) {
        throw new ApiError('status', `${call.method} ${call.path} answered ${response.status}: ${errorText(parsed, body)}`, {
          status: response.status,
          body: parsed ?? body,
          retryAfterMs: serverAskedDelay(response.headers, this.options.now()),
        });
      }
      await this.sleep(retryDelayMs(attempt, response.headers, this.options.now(), this.options.random()), call.signal).catch((reason) => {
        throw new ApiError('aborted', `${call.method} ${call.path} was abandoned while waiting to retry`, { cause: reason });
      });
    }
  }

  private async attempt(call: ApiCall): Promise<Response> {
    const timeout = AbortSignal.timeout(call.timeoutMs ?? this.options.timeoutMs);
    const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
    try {
      return await this.options.fetch(`${this.options.baseUrl}${call.path}`, {
        method: call.method,
        headers: this.headers,
        ...(call.json !== undefined ? { body: call.json } : call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal,
      });
    } catch (error) {
      if (timeout.aborted) throw new ApiError('timeout', `${call.method} ${call.path} got no answer within ${call.timeoutMs ?? this.options.timeoutMs} ms`, { cause: error });
      if (call.signal?.aborted) throw new ApiError('aborted', `${call.method} ${call.path} was abandoned`, { cause: error });
      throw new ApiError('network', `${call.method} ${call.path} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private async data<T>(response: Response, call: ApiCall): Promise<T> {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new ApiError('network', `${call.method} ${call.path}: the answer broke off`, { status: response.status, cause: error });
    }
    const parsed = safeJson(text);
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null) {
      throw new ApiError('invalid_response', `${call.method} ${call.path} answered ${response.status} with a body that is not a JSON object`, { status: response.status, body: text });
    }
    return (parsed as { data?: T }).data as T;
  }
}

/**
 * Every request's headers: the extra ones first, then flagwire's, which replace an extra header of the same
 * name in any letter case (a plain object would otherwise send both, and fetch would join them).
 */
function requestHeaders(apiKey: string, extra: Readonly<Record<string, string>>): Record<string, string> {
  const own: Record<string, string> = {
    'X-Schematic-Api-Key': apiKey,
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'User-Agent': `${SDK_NAME}/${SDK_VERSION}`,
    'X-Schematic-Client': SDK_NAME,
    'X-Schematic-Client-Version': SDK_VERSION,
  };
  const taken = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const kept = Object.entries(extra).filter(([name]) => !taken.has(name.toLowerCase()));
  return { ...Object.fromEntries(kept), ...own };
}

/** The wait the server asked for, if it asked (the jitter-free part of the retry policy). */
function serverAskedDelay(headers: Headers, nowMs: number): number | null {
  if (!headers.get('retry-after') && !headers.get('x-ratelimit-reset')) return null;
  return retryDelayMs(0, headers, nowMs, 0);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorText(parsed: unknown, raw: string): string {
  const error = (parsed as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' ? error : raw.slice(0, 200) || '(no body)';
}
