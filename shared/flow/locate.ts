/** Maps a path inside a parsed YAML document to a line and column of its source. */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type YamlPath = readonly (string | number)[];

export interface SourcePosition {
  line: number;
  column: number;
}

export class SourceLocator {
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
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return this.at(pair.key.range[0]);
      }
    }
    return this.value(path);
  }

  /** Position of `needle` inside the scalar at `path` when it appears verbatim in the source. */
  within(path: YamlPath, needle: string, source: string): SourcePosition {
    const node = this.node(path);
    if (node?.range) {
      const found = source.slice(node.range[0], node.range[1]).indexOf(needle);
      if (found >= 0) return this.at(node.range[0] + found);
    }
    return this.value(path);
  }

  at(offset: number): SourcePosition {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  private node(path: YamlPath): Node | undefined {
    if (path.length === 0) return (this.doc.contents ?? undefined) as Node | undefined;
    const found = this.doc.getIn(path as (string | number)[], true) as unknown;
    return isScalar(found) || isMap(found) || isSeq(found) ? (found as Node) : undefined;
  }
}
