import { z } from 'zod';

/** DataStream frames, as Schematic's SDKs read them. Every incoming frame is validated; one that fails is logged and skipped. */
export const ENTITY_FLAGS = 'rulesengine.Flags';
export const ENTITY_FLAG = 'rulesengine.Flag';
export const ENTITY_COMPANY = 'rulesengine.Company';
export const ENTITY_USER = 'rulesengine.User';
/** Bulk subscriptions, used by a replicator to receive every company and user. */
export const ENTITY_COMPANIES = 'rulesengine.Companies';
export const ENTITY_USERS = 'rulesengine.Users';

export const responseFrameSchema = z.object({
  data: z.unknown(),
  entity_type: z.string().min(1),
  message_type: z.enum(['full', 'partial', 'delete', 'error', 'reload', 'unknown']),
  entity_id: z.string().nullish(),
  stream_id: z.string().nullish(),
});

export type ResponseFrame = z.infer<typeof responseFrameSchema>;

export const errorDataSchema = z.object({
  error: z.string(),
  keys: z.record(z.string(), z.string()).nullish(),
  entity_type: z.string().nullish(),
});

/** A request for entities: the flag set (no keys), or a company or user by keys. */
export function requestFrame(entityType: string, keys?: Readonly<Record<string, string>>): string {
  return JSON.stringify({ data: { entity_type: entityType, ...(keys ? { keys } : {}) } });
}

/** Reads a frame; `null` with the reason when it is not one. */
export function readFrame(text: string): { frame: ResponseFrame } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  const result = responseFrameSchema.safeParse(json);
  return result.success ? { frame: result.data } : { problem: result.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; ') };
}
