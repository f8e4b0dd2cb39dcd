// Server-sent events as apflow 0.18.1's `tasks.execute {use_streaming: true}` writes them
// (api/routes/tasks.py): `data: {json}` lines, each message ended by a blank line, and `: keepalive`
// comments. Chunks may split a line anywhere; the parser keeps the unfinished tail.

export type SseMessage = { kind: 'data'; data: string } | { kind: 'comment'; text: string };

export class SseParser {
  private tail = '';
  private data: string[] = [];

  /** The messages the chunk completes, in order. */
  push(chunk: string): SseMessage[] {
    const lines = (this.tail + chunk).split('\n');
    this.tail = lines.pop() ?? '';
    const messages: SseMessage[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') {
        if (this.data.length > 0) messages.push({ kind: 'data', data: this.data.join('\n') });
        this.data = [];
      } else if (line.startsWith(':')) messages.push({ kind: 'comment', text: line.slice(1).trim() });
      else if (line.startsWith('data:')) this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      // Other fields (event:, id:, retry:) are not used by apflow and carry nothing for a run.
    }
    return messages;
  }

  /** What the stream's end leaves: a last message without its blank line still counts. */
  end(): SseMessage[] {
    const messages = this.push('\n\n');
    this.tail = '';
    return messages;
  }
}
