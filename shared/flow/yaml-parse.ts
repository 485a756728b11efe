/**
 * YAML text to one document, safe on hostile input. The `yaml` library's parser is
 * iterative, but its composer and `toJS` recurse once per nesting level (they overflow
 * the stack past about 1,000 levels), and its `uniqueKeys` check compares each key with
 * every earlier key of its mapping (30,000 keys: minutes). So: parse to the CST, check
 * nesting depth and alias count on it without recursion, only then compose, and find
 * duplicate keys with one Set per mapping.
 */
import { Composer, isMap, isScalar, isSeq, Lexer, Parser, YAMLParseError, type CST, type Document, type LineCounter } from 'yaml';
import { MAX_FLOW_ALIASES, MAX_FLOW_DEPTH } from './limits';

export type ParsedYaml = { ok: true; doc: Document.Parsed } | { ok: false; problem: { message: string; line: number; column: number } };

/** `lines` learns every line start, so positions can be computed from offsets afterwards. */
export function parseYaml(text: string, lines: LineCounter): ParsedYaml {
  const tokens = cstOf(text, lines);
  const over = firstOverLimit(tokens);
  if (over) {
    const { line, col: column } = lines.linePos(over.offset);
    const message =
      over.limit === 'depth'
        ? `nesting deeper than ${MAX_FLOW_DEPTH} levels at line ${line}, column ${column}; flatten this value (a flow needs a few levels)`
        : `more than ${MAX_FLOW_ALIASES} aliases (*name) at line ${line}, column ${column}; write the values out instead`;
    return { ok: false, problem: { message, line, column } };
  }
  const doc = compose(tokens, text.length);
  doc.errors.push(...duplicateKeys(doc));
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
  return { ok: true, doc };
}

/**
 * What `Parser.parse` returns, but fed one lexeme at a time so that it can stop soon
 * after the nesting being built passes the cap: 1 MiB of "[" would otherwise build a
 * million nested collections (seconds, and a gigabyte). Stopped early, the CST is that
 * of the text so far, which holds the place that is too deep.
 */
function cstOf(text: string, lines: LineCounter): CST.Token[] {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0); // as `parse` does
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > MAX_FLOW_DEPTH && parser.stack.filter(isCollection).length > MAX_FLOW_DEPTH) break;
  }
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}

const isCollection = (t: CST.Token): boolean => t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection';

/**
 * The first place, in document order, where the CST nests a collection deeper than
 * MAX_FLOW_DEPTH (the top-level collection is level 1) or holds alias MAX_FLOW_ALIASES + 1.
 */
function firstOverLimit(tokens: readonly CST.Token[]): { limit: 'depth' | 'aliases'; offset: number } | undefined {
  let aliases = 0;
  const pending: [CST.Token, number][] = [];
  for (const token of tokens) {
    pending.push([token, 0]);
    while (pending.length > 0) {
      const [t, depth] = pending.pop() as [CST.Token, number];
      if (t.type === 'document') {
        if (t.value) pending.push([t.value, depth]);
      } else if (t.type === 'alias') {
        if (++aliases > MAX_FLOW_ALIASES) return { limit: 'aliases', offset: t.offset };
      } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
        if (depth + 1 > MAX_FLOW_DEPTH) return { limit: 'depth', offset: t.type === 'flow-collection' ? t.start.offset : t.offset };
        // Pushed last item first, value before key, so they pop in document order.
        for (let i = t.items.length - 1; i >= 0; i--) {
          const item = t.items[i] as CST.CollectionItem;
          if (item.value) pending.push([item.value, depth + 1]);
          if (item.key) pending.push([item.key, depth + 1]);
        }
      }
    }
  }
  return undefined;
}

/** What `parseDocument` does with the tokens, minus `uniqueKeys` (see `duplicateKeys`). */
function compose(tokens: readonly CST.Token[], end: number): Document.Parsed {
  const composer = new Composer({ uniqueKeys: false });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, end)) {
    if (doc) {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'a flow file holds one YAML document; remove the second `---` and what follows it'));
      break;
    }
    doc = next;
  }
  return doc as Document.Parsed; // compose(…, forceDoc = true) always yields one
}

/**
 * A key written twice in one mapping, reported at the second key as the library does:
 * scalar keys with the same value (`1` and `"1"` differ); collection and alias keys
 * never clash.
 */
function duplicateKeys(doc: Document.Parsed): YAMLParseError[] {
  const errors: YAMLParseError[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value) && key.range) errors.push(new YAMLParseError([key.range[0], key.range[1]], 'DUPLICATE_KEY', 'Map keys must be unique'));
          seen.add(key.value);
        }
        pending.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item);
    }
  }
  return errors;
}
