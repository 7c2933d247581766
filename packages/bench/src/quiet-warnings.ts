/**
 * kafkajs 2.2.4 arms timers with negative delays on Node 24, which prints a `TimeoutNegativeWarning`
 * per consumer (harmless: Node uses 1 ms). The entry points call this so that benchmark output stays
 * readable; every other warning is printed as usual.
 */
export function quietKafkajsTimerWarnings(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  const filtered = (warning: string | Error, ...rest: unknown[]): void => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'TimeoutNegativeWarning' || (warning instanceof Error && warning.name === 'TimeoutNegativeWarning')) return;
    emit(warning, ...rest);
  };
  process.emitWarning = filtered;
}
