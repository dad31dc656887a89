import type { IdentifyBody, TrackBody, UpsertCompanyBody, UpsertUserBody } from '../core/types';

/**
 * Request bodies as Schematic's API takes them as listed in its public SDKs: our camelCase names become the API's
 * snake_case ones, Dates become ISO strings, and fields the API does not know are left out (and named, so
 * the caller can log them) — as Schematic's SDK serialises the same calls.
 */

/** A body in wire form, with the fields that were left out. */
export interface WireBody {
  readonly body: Record<string, unknown>;
  readonly stripped: readonly string[];
}

type Convert = (value: unknown) => unknown;

/** A field's wire name, and how its value is converted (as given when no conversion is listed). */
type FieldMap = Readonly<Record<string, string | readonly [string, Convert]>>;

/** A valid Date as an ISO string; anything else as given, for the API to judge. */
const isoDate: Convert = (value) => (value instanceof Date && Number.isFinite(value.getTime()) ? value.toISOString() : value);

const ENTITY_FIELDS = { keys: 'keys', name: 'name', traits: 'traits' } as const;

const IDENTIFY_FIELDS: FieldMap = { ...ENTITY_FIELDS, company: 'company' };

const COMPANY_FIELDS: FieldMap = {
  ...ENTITY_FIELDS,
  id: 'id',
  basePlanId: 'base_plan_id',
  basePlanPriceId: 'base_plan_price_id',
  lastSeenAt: ['last_seen_at', isoDate],
  preventKeyRemap: 'prevent_key_remap',
  removeKeys: 'remove_keys',
  updateOnly: 'update_only',
};

const USER_FIELDS: FieldMap = {
  ...ENTITY_FIELDS,
  id: 'id',
  company: 'company',
  companies: 'companies',
  companyId: 'company_id',
  companyIds: 'company_ids',
  lastSeenAt: ['last_seen_at', isoDate],
  removeKeys: 'remove_keys',
  updateOnly: 'update_only',
};

const TRACK_FIELDS: FieldMap = {
  event: 'event',
  company: 'company',
  user: 'user',
  quantity: 'quantity',
  traits: 'traits',
  leaseId: 'lease_id',
  reservationId: 'reservation_id',
};

/** Maps the known fields of `source`; `undefined` values are left out, unknown fields are listed as stripped. */
function mapFields(source: object, fields: FieldMap, prefix = ''): WireBody {
  const body: Record<string, unknown> = {};
  const stripped: string[] = [];
  for (const [name, value] of Object.entries(source)) {
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (field === undefined) {
      stripped.push(`${prefix}${name}`);
      continue;
    }
    if (value === undefined) continue;
    const [wireName, convert] = typeof field === 'string' ? [field, null] : field;
    body[wireName] = convert ? convert(value) : value;
  }
  return { body, stripped };
}

export function wireUpsertCompany(body: UpsertCompanyBody): WireBody {
  return mapFields(body, COMPANY_FIELDS);
}

export function wireUpsertUser(body: UpsertUserBody): WireBody {
  return mapFields(body, USER_FIELDS);
}

export function wireTrack(body: TrackBody): WireBody {
  return mapFields(body, TRACK_FIELDS);
}

/** The identify body; its `company` is mapped too (keys, name, traits). */
export function wireIdentify(body: IdentifyBody): WireBody {
  const top = mapFields(body, IDENTIFY_FIELDS);
  const company = body.company;
  if (company === undefined || company === null || typeof company !== 'object') return top;
  const inner = mapFields(company, ENTITY_FIELDS, 'company.');
  return { body: { ...top.body, company: inner.body }, stripped: [...top.stripped, ...inner.stripped] };
}

/** A wire body's fields, with those the API does not know left out and named at debug level. */
export function sentFields(logger: { debug(message: string): void }, what: string, { body, stripped }: WireBody): Record<string, unknown> {
  if (stripped.length > 0) logger.debug(`${what}: left out fields Schematic does not know: ${stripped.join(', ')}`);
  return body;
}
