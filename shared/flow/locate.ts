/** Maps a path inside a parsed YAML document to a line and column of its source. */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';

export type YamlPath = readonly (string | number)[];

export interface SourcePosition {
  line: number;
  column: number;
}

export class SourceLocator {
  private readonly index = new WeakMap<YAMLMap, Map<unknown, Pair>>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the value at `path`, or of its nearest existing ancestor. */
  value(path: YamlPath): SourcePosition {
    for (let n = path.length; n >= 0; n--) {
      const node = this.node(path.slice(0, n));
      if (node?.range) return this.at(node.range[0]);
    }
    return { line: 1, column: 1 };
  }

  /** Position of the key `key` of the mapping at `path` (falls back to the mapping). */
  key(path: YamlPath, key: string): SourcePosition {
    const node = this.node(path);
    const pair = isMap(node) ? this.pairsOf(node).get(key) : undefined;
    if (isScalar(pair?.key) && pair.key.range) return this.at(pair.key.range[0]);
    return this.value(path);
  }

  /**
   * Position of `needle` inside the scalar at `path` when it appears verbatim in the
   * source. `from` is the needle's offset in the scalar's value: the source of a value
   * is never shorter than the value (quotes, escapes, indentation), so the search starts
   * there. That finds the right one of repeated needles, and keeps locating every
   * template of a long prompt linear instead of rescanning the prompt each time.
   */
  within(path: YamlPath, needle: string, source: string, from = 0): SourcePosition {
    const node = this.node(path);
    if (node?.range) {
      const found = source.indexOf(needle, node.range[0] + from);
      if (found >= 0 && found + needle.length <= node.range[1]) return this.at(found);
    }
    return this.value(path);
  }

  at(offset: number): SourcePosition {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  /**
   * The node at `path`. Mappings are looked up through an index built once per mapping:
   * the library's `getIn` scans a mapping's keys, and locating one problem per key of a
   * 90,000-key mapping that way took minutes.
   */
  private node(path: YamlPath): Node | undefined {
    let node: unknown = this.doc.contents;
    for (const step of path) {
      if (isMap(node)) node = this.pairsOf(node).get(step)?.value;
      else if (isSeq(node) && typeof step === 'number') node = node.items[step];
      else return undefined;
    }
    return isScalar(node) || isMap(node) || isSeq(node) ? (node as Node) : undefined;
  }

  /** The pairs of a mapping by scalar key value; the first pair wins, as in `getIn`. */
  private pairsOf(map: YAMLMap): Map<unknown, Pair> {
    let pairs = this.index.get(map);
    if (!pairs) {
      pairs = new Map();
      for (const pair of map.items as Pair[]) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (!pairs.has(key)) pairs.set(key, pair);
      }
      this.index.set(map, pairs);
    }
    return pairs;
  }
}
