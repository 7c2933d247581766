// The public API of @evroute/wrongbook: the wrongbook domain model shared by the three wrongbook
// plugins, their tests and the examples. Everything else in src/ is internal.

export {
  compileCodeTables,
  DEFAULT_FIX_RESULT_NAMES,
  DEFAULT_SUBJECT_ALIASES,
  DEFAULT_SUBJECT_NAMES,
  type CodeTableConfig,
  type CodeTables,
  type SubjectTable,
} from './code-tables.js';
export { PayloadReader, camelCase, MAX_FUTURE_MS, MAX_ID_LENGTH, type FieldOptions, type Normalized, type NormalizeOptions } from './payload-reader.js';
export { normalizeAdd, type AddPayload } from './normalize-add.js';
export { normalizeFix, MAX_FIX_RESULT_DESC, type FixPayload } from './normalize-fix.js';
export { normalizeDelete, MAX_DELETE_REASON, type DeletePayload } from './normalize-delete.js';
export { stableId } from './stable-id.js';
export {
  ADD_ROW_COLUMNS,
  ADD_SIDE_COLUMNS,
  columnsOf,
  DELETE_COLUMNS,
  DELETE_ROW_COLUMNS,
  EVENT_TYPES,
  FIX_COLUMNS,
  FIX_ROW_COLUMNS,
  MERGE_RULES,
  WIDE_TABLE,
  WIDE_TABLE_COLUMNS,
  WIDE_TABLE_SPECS,
  type AddRow,
  type DeleteRow,
  type FixRow,
  type WideColumn,
  type WideRow,
  type WrongbookKind,
} from './wide-table.js';
export { addRow, fixRow, deleteRow, rowToMessage, type EnvelopeRef } from './wide-row.js';
export {
  DIMENSIONS_SERVICE,
  type Awaitable,
  type DimensionLookups,
  type Pattern,
  type TeachingType,
  type TeachingTypeLink,
  type WrongQuestionRecord,
} from './dimensions.js';
export type { DimensionData, PatternRow, TeachingTypeLinkRow, TeachingTypeRow, WrongQuestionRecordRow } from './dimension-data.js';
export { MemoryDimensions, type MemoryDimensionCalls } from './memory-dimensions.js';
export {
  dimensionsFromTables,
  type DimensionTableLookups,
  type KeyedTableLookup,
  type ListTableLookup,
  type TableRow,
} from './table-dimensions.js';
export { CHAPTER_MATCHED_SUBJECTS, chooseTeachingType, type TeachingTypeCandidate } from './teaching-type.js';
export { enrich, type EnrichedFacts, type KnownFacts, type LookupObserver, type LookupOutcome, type LookupTable } from './enrich.js';
export {
  interpretAdd,
  interpretDelete,
  interpretFix,
  kindOf,
  MAX_EVENT_ID_LENGTH,
  MAX_EVENT_TYPE_LENGTH,
  type Interpretation,
  type InterpretOptions,
} from './interpret.js';
export { ADVISORY_DEFAULTS, wrongbookConfigSchema, type WrongbookConfig } from './plugin-config.js';
export { DEFAULT_OUTPUT_TARGETS, lookupCounter, noteAdvisoryConfig, rejectEvent, resolveDimensions } from './plugin-support.js';
export { emptyRow, referenceTable, rowTime, type ReferenceModelOptions } from './reference-model.js';
export {
  COMPARABLE_COLUMNS,
  comparableRow,
  comparableTable,
  LAST_EVENT_COLUMNS,
  WALL_CLOCK_COLUMNS,
  type ComparableValue,
} from './comparable-row.js';
export { createRandom, type Random } from './random.js';
export { chapterId, generateDimensionData, GENERATOR_EPOCH, SUBJECT_WEIGHTS, type DimensionDataOptions } from './dimension-generator.js';
export { addPayload, deletePayload, fixPayload, type QuestionFacts } from './event-payloads.js';
export { decodeMessages, generateEvents, type BadMessageKind, type EventStreamOptions, type GeneratedMessage } from './event-generator.js';
