/**
 * The `.properties` file format as Java's `java.util.Properties.load` reads it, so the seed's
 * `application.properties` means here what it meant to the Flink job: `#` and `!` comments, `key=value`,
 * `key: value` and `key value`, whitespace around the separator ignored, a backslash at the end of a line
 * continuing it, and the escapes `\t \n \r \f \uXXXX` (any other escaped character stands for itself).
 * A key given twice takes its last value.
 */

/** One property and the line it starts on (1-based). */
export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

const WHITESPACE = new Set([' ', '\t', '\f']);

/** The logical lines of the text: comments and blank lines dropped, continuations joined. */
function logicalLines(text: string): { text: string; line: number }[] {
  const natural = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | undefined;
  natural.forEach((raw, index) => {
    const stripped = raw.replace(/^[ \t\f]+/, '');
    if (current === undefined && (stripped === '' || stripped.startsWith('#') || stripped.startsWith('!'))) return;
    const trailing = /\\+$/.exec(stripped)?.[0].length ?? 0;
    const continues = trailing % 2 === 1;
    const part = continues ? stripped.slice(0, -1) : stripped;
    current = current === undefined ? { text: part, line: index + 1 } : { text: current.text + part, line: current.line };
    if (!continues) {
      out.push(current);
      current = undefined;
    }
  });
  if (current !== undefined) out.push(current);
  return out;
}

/** Resolves the escapes of a key or value. */
function unescape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch !== '\\' || i === text.length - 1) {
      out += ch;
      continue;
    }
    const next = text[++i] as string;
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      out += ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[next] ?? next;
    }
  }
  return out;
}

/** Splits a logical line into its key and value at the first unescaped `=`, `:` or whitespace. */
function splitLine(line: string): { key: string; value: string } {
  let i = 0;
  for (; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === '\\') i++;
    else if (ch === '=' || ch === ':' || WHITESPACE.has(ch)) break;
  }
  const key = line.slice(0, i);
  let j = i;
  while (j < line.length && WHITESPACE.has(line[j] as string)) j++;
  if (j < line.length && (line[j] === '=' || line[j] === ':')) j++;
  while (j < line.length && WHITESPACE.has(line[j] as string)) j++;
  return { key: unescape(key), value: unescape(line.slice(j)) };
}

/** Every property of the text in file order (a repeated key appears each time). */
export function parsePropertyEntries(text: string): PropertyEntry[] {
  return logicalLines(text).map(({ text: line, line: number }) => ({ ...splitLine(line), line: number }));
}

/** The properties of the text as a plain map; a repeated key takes its last value. */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const { key, value } of parsePropertyEntries(text)) out[key] = value;
  return out;
}
