import type { ViewLine } from "./use-log-stream";

/**
 * The lines the viewer shows, kept up to date incrementally: each new batch is tested once,
 * so filtering stays cheap with 200,000 lines and thousands arriving a second. A new filter
 * (a new `key`) starts over.
 */
export class FilteredLines {
  private key = "";
  private lastSeq = -1;
  private shown: ViewLine[] = [];

  update(all: ViewLine[], test: ((line: ViewLine) => boolean) | null, key: string, untilSeq: number): ViewLine[] {
    if (key !== this.key) {
      this.key = key;
      this.lastSeq = -1;
      this.shown = [];
    }
    const firstSeq = all[0]?.seq ?? 0;
    if (this.shown.length > 0 && this.shown[0]!.seq < firstSeq) {
      const keepFrom = this.shown.findIndex((l) => l.seq >= firstSeq);
      this.shown = keepFrom < 0 ? [] : this.shown.slice(keepFrom);
    }
    if (this.lastSeq < firstSeq - 1) this.lastSeq = firstSeq - 1;
    let i = all.length - 1;
    while (i >= 0 && all[i]!.seq > this.lastSeq) i--;
    const added: ViewLine[] = [];
    for (let j = i + 1; j < all.length; j++) {
      const line = all[j]!;
      if (line.seq >= untilSeq) break;
      this.lastSeq = line.seq;
      if (!test || test(line)) added.push(line);
    }
    if (added.length > 0) this.shown = this.shown.concat(added);
    return this.shown;
  }
}
