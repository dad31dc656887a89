import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import type { RetryHeaders } from '../../api/retry-policy';
import { type EventPost, type PostAnswer, postTimeoutError } from './event-post';

export interface NodeHttpPost {
  readonly post: EventPost;
  /** Closes the kept-alive sockets. */
  close(): void;
}

/**
 * Event POSTs over node:http(s) with kept-alive sockets, for when the app gave no `fetch` of its own. An event
 * POST needs a status, a header or two and a refusal's text: none of the Request, Response, Headers, streams or
 * combined abort signals that fetch builds around them. Those cost the fetch path some 1.8 million instructions
 * per POST (callgrind, a 45-item insight batch), and POSTs run too seldom for the JIT to make that code fast.
 */
export function nodeHttpPost(): NodeHttpPost {
  // Loaded here, not at import: node:http and node:https cost a cold start some 10 ms, and most apps never post events.
  const { Agent: HttpAgent, request: httpRequest } = process.getBuiltinModule('node:http');
  const { Agent: HttpsAgent, request: httpsRequest } = process.getBuiltinModule('node:https');
  const http = new HttpAgent({ keepAlive: true, maxSockets: 8 });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: 8 });
  // A sender posts to one URL again and again: it is parsed once.
  let target: { url: string; options: RequestOptions; secure: boolean } | null = null;
  const targetOf = (url: string) => {
    if (target?.url !== url) {
      const parsed = new URL(url);
      const secure = parsed.protocol === 'https:';
      target = { url, secure, options: { protocol: parsed.protocol, hostname: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port, path: `${parsed.pathname}${parsed.search}` } };
    }
    return target;
  };

  const post: EventPost = (url, { headers, body, signal, timeoutMs }) =>
    new Promise<PostAnswer>((resolve, reject) => {
      if (typeof body !== 'string' && !(body instanceof Uint8Array)) throw new TypeError('nodeHttpPost sends string and byte bodies only');
      if (signal.aborted) throw signal.reason;
      const { options, secure } = targetOf(url);
      const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      let request: ClientRequest | null = null;
      const onAbort = () => request?.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      const deadline = setTimeout(() => request?.destroy(postTimeoutError(timeoutMs)), timeoutMs);
      // The request's own socket keeps the process up while it is out; its deadline need not keep it up longer.
      deadline.unref();
      const settle = () => {
        clearTimeout(deadline);
        signal.removeEventListener('abort', onAbort);
      };
      const onResponse = (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        const answer = (text: string) => {
          settle();
          resolve({ status, headers: headersOf(response.headers), text });
        };
        // A 2xx is the verdict: its body is drained, unread, and nothing that happens to it afterwards matters.
        if (status >= 200 && status < 300) {
          response.resume();
          response.on('error', () => {});
          answer('');
          return;
        }
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => answer(text));
        // A refusal whose text breaks off is still a refusal, with what was read of it.
        response.on('error', () => answer(text));
      };
      request = (secure ? httpsRequest : httpRequest)({ ...options, method: 'POST', headers: { ...headers, 'content-length': String(length) }, agent: secure ? https : http }, onResponse);
      request.on('error', (error) => {
        settle();
        reject(error);
      });
      signal.addEventListener('abort', onAbort, { once: true });
      request.end(body);
    });

  return {
    post,
    close: () => {
      http.destroy();
      https.destroy();
    },
  };
}

function headersOf(headers: IncomingHttpHeaders): RetryHeaders {
  return {
    get: (name) => {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}
