import { ErrorCode, type FlagMetadata, type ResolutionDetails, StandardResolutionReasons } from '@openfeature/core';
// Types only: the web provider shares this file, and the browser bundle must carry no server code.
import type { ReasonKind, VariationDetail } from 'flagwire/server';

/**
 * Why a flag was not evaluated (kind `default`), which flagwire's variation does not say by itself:
 * `by_design` (an offline client serves defaults on purpose), `not_ready` (the client has no flags yet), or
 * `failed` (anything else: a check that timed out, a closed client).
 */
export type Unevaluated = 'by_design' | 'not_ready' | 'failed';

export interface ResolutionHints {
  /** @default 'failed' */
  unevaluated?: Unevaluated;
  /** The `error` came from a flag or entity that could not be read (flagwire's invalid-entity reason). */
  parseError?: boolean;
  /** The `error` is a flag that needed the context's key, which it lacks (flagwire's targeting-key-missing reason). */
  targetingKeyMissing?: boolean;
}

type EvaluatedKind = Exclude<ReasonKind, 'default' | 'error' | 'wrong_type' | 'not_found'>;

const REASON_OF: Readonly<Record<EvaluatedKind, string>> = {
  rule_match: StandardResolutionReasons.TARGETING_MATCH,
  target_match: StandardResolutionReasons.TARGETING_MATCH,
  fallthrough: StandardResolutionReasons.DEFAULT,
  off: StandardResolutionReasons.DISABLED,
  cached: StandardResolutionReasons.CACHED,
  // OpenFeature has no standard reason for a value chosen by hand; a provider may name its own.
  override: 'OVERRIDE',
};

/**
 * The one mapping of a flagwire variation onto OpenFeature's resolution details, for both providers. Values
 * flagwire evaluated keep their variant; the others carry the caller's default (flagwire already put it in
 * `value`) with an error code. Metadata carries flagwire's reason text, its kind and, when there is one, the
 * deciding rule and the rollout bucket.
 */
export function resolutionOf<T>(detail: VariationDetail, hints: ResolutionHints = {}): ResolutionDetails<T> {
  const value = detail.value as T;
  const flagMetadata = metadataOf(detail);
  switch (detail.kind) {
    case 'not_found':
      return failure(value, ErrorCode.FLAG_NOT_FOUND, `flag "${detail.flagKey}" not found`, flagMetadata);
    case 'wrong_type':
      return failure(value, ErrorCode.TYPE_MISMATCH, detail.err ?? detail.reason, flagMetadata);
    case 'error': {
      const code = hints.targetingKeyMissing ? ErrorCode.TARGETING_KEY_MISSING : hints.parseError ? ErrorCode.PARSE_ERROR : ErrorCode.GENERAL;
      return failure(value, code, detail.err ?? detail.reason, flagMetadata);
    }
    case 'default': {
      const why = hints.unevaluated ?? 'failed';
      if (why === 'by_design') return { value, reason: StandardResolutionReasons.DEFAULT, flagMetadata };
      return failure(value, why === 'not_ready' ? ErrorCode.PROVIDER_NOT_READY : ErrorCode.GENERAL, detail.reason, flagMetadata);
    }
    default: {
      // A rollout that drew a bucket for this context is a split, not the flag's one default.
      const reason = detail.kind === 'fallthrough' && detail.bucket !== null ? StandardResolutionReasons.SPLIT : REASON_OF[detail.kind];
      return { value, ...(detail.variation !== null ? { variant: detail.variation } : {}), reason, flagMetadata };
    }
  }
}

function failure<T>(value: T, errorCode: ErrorCode, errorMessage: string, flagMetadata: FlagMetadata): ResolutionDetails<T> {
  return { value, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage, flagMetadata };
}

function metadataOf(detail: VariationDetail): FlagMetadata {
  const metadata: Record<string, string | number> = { reason: detail.reason, kind: detail.kind };
  if (detail.ruleId !== null) metadata.ruleId = detail.ruleId;
  if (detail.bucket !== null) metadata.bucket = detail.bucket;
  return metadata;
}
