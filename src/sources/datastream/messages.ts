import { isRecord } from '../../core/internal/is-record';

/** DataStream frames, as Schematic's SDKs read them. Every incoming frame is validated; one that fails is logged and skipped. */
export const ENTITY_FLAGS = 'rulesengine.Flags';
export const ENTITY_FLAG = 'rulesengine.Flag';
export const ENTITY_COMPANY = 'rulesengine.Company';
export const ENTITY_USER = 'rulesengine.User';
/** Bulk subscriptions, used by a replicator to receive every company and user. */
export const ENTITY_COMPANIES = 'rulesengine.Companies';
export const ENTITY_USERS = 'rulesengine.Users';

const MESSAGE_TYPES = ['full', 'partial', 'delete', 'error', 'reload', 'unknown'] as const;

/** A frame from DataStream, checked field by field (a validator library would be loaded for these five fields). */
export interface ResponseFrame {
  readonly data: unknown;
  readonly entity_type: string;
  readonly message_type: (typeof MESSAGE_TYPES)[number];
  readonly entity_id?: string | null | undefined;
  readonly stream_id?: string | null | undefined;
}

/** An error frame's body. */
export interface ErrorData {
  readonly error: string;
  readonly keys?: Readonly<Record<string, string>> | null | undefined;
  readonly entity_type?: string | null | undefined;
}

function isTextOrNothing(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === 'string';
}

/** What is wrong with a frame's fields, each as `path: problem`; none when it is one. */
function frameProblems(json: unknown): string[] {
  if (!isRecord(json)) return ['frame: not an object'];
  const problems: string[] = [];
  if (typeof json.entity_type !== 'string' || json.entity_type === '') problems.push('entity_type: a non-empty string is expected');
  if (!MESSAGE_TYPES.includes(json.message_type as ResponseFrame['message_type'])) problems.push(`message_type: one of ${MESSAGE_TYPES.join(', ')} is expected`);
  if (!isTextOrNothing(json.entity_id)) problems.push('entity_id: a string is expected');
  if (!isTextOrNothing(json.stream_id)) problems.push('stream_id: a string is expected');
  return problems;
}

/** An error frame's body; `null` when it has no readable one. */
export function readErrorData(data: unknown): ErrorData | null {
  if (!isRecord(data) || typeof data.error !== 'string' || !isTextOrNothing(data.entity_type)) return null;
  const { keys } = data;
  if (keys === undefined || keys === null) return { error: data.error, keys, entity_type: data.entity_type };
  if (!isRecord(keys) || Object.values(keys).some((value) => typeof value !== 'string')) return null;
  return { error: data.error, keys: keys as Record<string, string>, entity_type: data.entity_type };
}

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
  const problems = frameProblems(json);
  return problems.length === 0 ? { frame: json as ResponseFrame } : { problem: problems.join('; ') };
}
