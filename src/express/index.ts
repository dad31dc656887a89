/**
 * `flagwire/express`: Express adapters. They translate requests and responses; every decision is made by
 * `flagwire/server`.
 */
export { captureRawBody, flagsWebhook } from './webhook';
