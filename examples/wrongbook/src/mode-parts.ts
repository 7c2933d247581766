/** What a mode contributes to the router: where events, routes and dimensions come from, where outputs go. */
import type { ConfigSource, DeadLetterSink, OutputBinding, Sink, Source } from '@evroute/core';
import { DEFAULT_OUTPUT_TARGETS, type DimensionLookups } from '@evroute/wrongbook';
import type { OutputTopics } from './settings.js';

/** The side outputs of the three plugins (spec §6), besides `wide_table`. */
export type SideOutput = keyof OutputTopics;

/** The parts of one mode, made by `embeddedParts` or `productionParts`. */
export interface ModeParts {
  readonly source: Source;
  readonly config: ConfigSource;
  /** Every sink by name; the wide table's is `db`. */
  readonly sinks: Readonly<Record<string, Sink>>;
  /** Where each side output goes. */
  readonly sideOutputs: Readonly<Record<SideOutput, OutputBinding>>;
  readonly deadLetter: DeadLetterSink;
  readonly dimensions: DimensionLookups;
  /** Records per write of the `db` sink. */
  readonly tableBatchSize: number;
  /** Releases what the parts opened (database handles, pools), after the router stopped. */
  close(): Promise<void>;
}

/** The side outputs' topics: the spec's defaults, overridden by `topics`. */
export function sideTopics(topics: OutputTopics = {}): Readonly<Record<SideOutput, string>> {
  return {
    wrong_answers: topics.wrong_answers ?? DEFAULT_OUTPUT_TARGETS.wrong_answers,
    fix_metrics: topics.fix_metrics ?? DEFAULT_OUTPUT_TARGETS.fix_metrics,
    audit: topics.audit ?? DEFAULT_OUTPUT_TARGETS.audit,
  };
}
