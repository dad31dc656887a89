import { FlagwireError } from '../core/errors';
import type { ChangeEvent } from '../core/types';

/** Schematic's webhook event types. Anything else arrives typed as an unknown action. */
export const WEBHOOK_ACTIONS = [
  'company.created',
  'company.updated',
  'company.deleted',
  'company.plan_changed',
  'company.scheduled_downgrade',
  'company.override.created',
  'company.override.updated',
  'company.override.deleted',
  'company.override.expired',
  'user.created',
  'user.updated',
  'user.deleted',
  'feature.created',
  'feature.updated',
  'feature.deleted',
  'flag.created',
  'flag.updated',
  'flag.deleted',
  'flag_rules.updated',
  'rule.deleted',
  'plan.created',
  'plan.updated',
  'plan.deleted',
  'plan_version.deleted',
  'plan.entitlement.created',
  'plan.entitlement.updated',
  'plan.entitlement.deleted',
  'subscription.trial.ended',
  'entitlement.limit.reached',
  'entitlement.limit.warning',
  'entitlement.soft_limit.reached',
  'entitlement.soft_limit.warning',
  'entitlement.tier_limit.reached',
  'entitlement.tier_limit.warning',
  'credit.limit.reached',
  'credit.limit.warning',
  'credit.purchase.success',
  'auto.topup.success',
  'auto.topup.hard.failure',
  'auto.topup.retry.exceeded',
  'test.send',
] as const;

export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];

/** The body Schematic sends with company events (CompanyDetailResponseData), the fields flagwire reads. */
export interface CompanyWebhookBody {
  id: string;
  keys?: Record<string, string>;
  name?: string;
  [field: string]: unknown;
}

export interface UserWebhookBody {
  id: string;
  keys?: Record<string, string>;
  name?: string;
  [field: string]: unknown;
}

export interface FlagWebhookBody {
  id?: string;
  key?: string;
  [field: string]: unknown;
}

type BodyFor<A extends string> = A extends `company.${string}`
  ? CompanyWebhookBody
  : A extends `user.${string}`
    ? UserWebhookBody
    : A extends `flag.${string}` | 'flag_rules.updated'
      ? FlagWebhookBody
      : Record<string, unknown>;

interface Envelope<A extends string, B> {
  readonly action: A;
  readonly accountId: string | null;
  readonly environmentId: string | null;
  readonly objectType: string | null;
  readonly body: B;
}

/** A verified delivery: one of Schematic's actions with its typed body, or an action flagwire does not know yet. */
export type WebhookEvent = { [A in WebhookAction]: Envelope<A, BodyFor<A>> & { readonly known: true } }[WebhookAction] | (Envelope<string, Record<string, unknown>> & { readonly known: false });

const KNOWN: ReadonlySet<string> = new Set(WEBHOOK_ACTIONS);

/** Reads the envelope `{ action, account_id, environment_id, body, object_type }`. */
export function parseWebhookEvent(rawBody: string): WebhookEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new FlagwireError('invalid_webhook', 'webhook body is not JSON');
  }
  const envelope = json as Record<string, unknown> | null;
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.action !== 'string') {
    throw new FlagwireError('invalid_webhook', 'webhook body has no action');
  }
  const body = typeof envelope.body === 'object' && envelope.body !== null ? (envelope.body as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    action: envelope.action,
    accountId: text(envelope.account_id),
    environmentId: text(envelope.environment_id),
    objectType: text(envelope.object_type),
    body,
    known: KNOWN.has(envelope.action),
  } as WebhookEvent;
}

/** What a delivery means for cached data: which company, user or flags to refresh. `null` when nothing. */
export function changeFor(event: WebhookEvent): ChangeEvent | null {
  const { action, body } = event;
  const keys = (typeof body.keys === 'object' && body.keys !== null ? body.keys : {}) as Record<string, string>;
  if (action.startsWith('company.') && !action.startsWith('company.override') && typeof body.id === 'string') {
    return { type: 'company', id: body.id, keys };
  }
  if (action.startsWith('user.') && typeof body.id === 'string') return { type: 'user', id: body.id, keys };
  if (/^(flag|flag_rules|rule|feature|plan|plan_version)\./.test(action) || action.startsWith('company.override')) {
    return { type: 'flags', keys: typeof body.key === 'string' ? [body.key] : [] };
  }
  if (typeof body.company_id === 'string') return { type: 'company', id: body.company_id, keys: {} };
  return null;
}
