import { createParser } from "eventsource-parser";

// Server-sent events as tests and benches read them, parsed by eventsource-parser (what
// browsers do, written by others) rather than by hand.

export interface Frame {
  event?: string;
  id?: string;
  data?: string;
  comments?: string[];
}

/** Feeds text chunks in; each complete event (or comment line) comes out as a frame. */
export function frameParser(onFrame: (frame: Frame) => void): (chunk: string) => void {
  const parser = createParser({
    onEvent: (e) => onFrame({ ...(e.event ? { event: e.event } : {}), ...(e.id !== undefined ? { id: e.id } : {}), data: e.data }),
    onComment: (comment) => onFrame({ comments: [comment.trim()] }),
  });
  return (chunk) => parser.feed(chunk);
}
