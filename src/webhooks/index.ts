/**
 * `flagwire/webhooks`: the parts of a Schematic webhook endpoint, for an adapter to a framework flagwire has none
 * for (flagwire's own Express and Next adapters are made of them): the handler over a framework-neutral request,
 * raw body reading with its limits, signatures, replay guards, and the event types. Apps take a ready endpoint
 * from `flagwire/express` or `flagwire/next`, or `createWebhookHandler` from `flagwire/server`.
 */
export { deferWebhookHandler } from './defer-handler';
export type { DeferOptions } from './defer-handler';
export { changeFor, parseWebhookEvent, WEBHOOK_ACTIONS } from './events';
export type { CompanyWebhookBody, FlagWebhookBody, UserWebhookBody, WebhookAction, WebhookEvent } from './events';
export { createFetchWebhookHandler, createWebhookHandler } from './handler';
export type { AfterVerify, WebhookCallbacks, WebhookHandlerOptions, WebhookRequest, WebhookResponse } from './handler';
export { bodyRefusal, DEFAULT_BODY_TIMEOUT_MS, RAW_BODY_GONE_HINT, readFetchBody, readRawBody } from './read-body';
export type { RawBody, ReadableRequest } from './read-body';
export { DEFAULT_REPLAY_GUARD_TIMEOUT_MS, MemoryReplayGuard, RedisReplayGuard } from './replay-guard';
export type { RedisReplayGuardOptions, ReplayGuardRedis } from './replay-guard';
export {
  computeSignature,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
  WebhookSignatureError,
} from './signature';
export type { ReplayGuard, VerifyOptions, WebhookSignatureErrorCode } from './signature';
export { verifyWebhookSignature } from './verify-request';
