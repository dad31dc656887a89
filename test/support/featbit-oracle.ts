import { FbClientBuilder, type IUser } from '@featbit/node-server-sdk';
import { evaluateFeatBitFlag, type FeatBitEvaluation } from '../../src/evaluators/featbit';
import { ruleExperimentDiverges } from './featbit-divergences';
import type { FeatBitCase } from './featbit-generator';

/**
 * FeatBit's Node SDK as the oracle: one offline client per case, bootstrapped from the JSON envelope FeatBit's
 * data sync sends (`data-sync`, `full`), evaluated the way `stringVariationDetail` does it (`evaluateCore`
 * with a string converter, which is synchronous, so a failing case can be shrunk). The variation id and
 * `sendToExperiment` are read from the insight event the SDK records: offline it records into a null
 * processor, which is swapped for one that keeps the event.
 */
export interface SdkOutcome {
  kind: string;
  value: string | null;
  reason: string;
  variationId: string | null;
  sendToExperiment: boolean | null;
  /** The exception the SDK threw instead of answering (it does, for a variation id the flag lacks). */
  threw: string | null;
}

interface RecordedEvent {
  variation?: { id?: string };
  sendToExperiment?: boolean;
}

const FALLBACK = '<fallback>';
const asString = (value: string) => ({ isSucceeded: true, value });

/** Evaluates the case's flag for its user through FeatBit's Node SDK. */
export function evaluateWithSdk(testCase: FeatBitCase): SdkOutcome {
  const bootstrap = JSON.stringify({ messageType: 'data-sync', data: { eventType: 'full', featureFlags: [testCase.flag], segments: testCase.segments } });
  const client = new FbClientBuilder().offline(true).useJsonBootstrapProvider(bootstrap).logLevel('none').build();
  let event: RecordedEvent | null = null;
  (client as unknown as { eventProcessor: object }).eventProcessor = {
    record: (recorded: RecordedEvent) => {
      event = recorded;
    },
    flush: async () => {},
    close: async () => {},
  };
  try {
    const detail = client.evaluateCore(testCase.flag.key, testCase.user as IUser, FALLBACK, asString);
    const recorded = event as RecordedEvent | null;
    return {
      kind: detail.kind,
      value: detail.value === FALLBACK ? null : (detail.value ?? null),
      reason: detail.reason ?? '',
      variationId: recorded?.variation?.id ?? null,
      sendToExperiment: recorded ? Boolean(recorded.sendToExperiment) : null,
      threw: null,
    };
  } catch (error) {
    return { kind: 'Error', value: null, reason: '', variationId: null, sendToExperiment: null, threw: String(error) };
  }
}

const SDK_KIND: Record<FeatBitEvaluation['kind'], string> = {
  off: 'Off',
  target_match: 'TargetMatch',
  rule_match: 'RuleMatch',
  fallthrough: 'FallThrough',
  error: 'Error',
};

export interface FeatBitMismatch {
  fields: string[];
  flagwire: FeatBitEvaluation;
  sdk: SdkOutcome;
}

/**
 * Where flagwire and the SDK differ on one case: the reason kind, and for successful evaluations the value,
 * variation id, reason text and `sendToExperiment` (the last left out where the SDK reads the fallthrough's
 * experiment setting for a rule). An SDK exception counts as an error.
 */
export function featBitMismatch(testCase: FeatBitCase): FeatBitMismatch | null {
  const ours = evaluateFeatBitFlag(testCase.flag, testCase.user, testCase.segments);
  const sdk = evaluateWithSdk(testCase);
  const fields: string[] = [];
  if (SDK_KIND[ours.kind] !== sdk.kind) fields.push('kind');
  else if (ours.kind !== 'error') {
    if (ours.value !== sdk.value) fields.push('value');
    if (ours.variationId !== sdk.variationId) fields.push('variationId');
    if (ours.reason !== sdk.reason) fields.push('reason');
    if (!ruleExperimentDiverges(testCase, ours) && ours.sendToExperiment !== sdk.sendToExperiment) fields.push('sendToExperiment');
  }
  return fields.length === 0 ? null : { fields, flagwire: ours, sdk };
}
