// Responses whose JSON the server builds itself, and the stdio encoder that writes those bytes as they
// are. A 10,000-task outline is about 2 MB of JSON: JSON.stringify of it on every edit cost more than
// computing it (issue 9), while most of it is the same as in the previous version. The JSON is held
// as a tree of byte pieces that later versions share (JsonPieces), joined into one buffer only when
// the response is written: one short-lived buffer outside the JavaScript heap per response, where a
// joined string lived in V8's large-object space until a full collection (server RSS peaked 0.3 GiB
// above what stays alive). A transport that serialises messages itself (node IPC) still gets the
// plain value through toJSON.
import type { Message, ResponseMessage } from 'vscode-languageserver/node';

/** JSON text as UTF-8 pieces in order; nested lists are shared between the responses that contain them. */
export type JsonPieces = Buffer | readonly JsonPieces[];

function flatten(pieces: JsonPieces, out: Buffer[]): Buffer[] {
  if (Buffer.isBuffer(pieces)) out.push(pieces);
  // Outline pieces nest as deep as the outline (at most 50 levels), so this recursion is bounded.
  else for (const piece of pieces) flatten(piece, out);
  return out;
}

/** The JSON of a result of type T. */
export class SerializedResult<T> {
  /** Only ties the JSON to its type. */
  declare private readonly type: T;

  constructor(
    /** The result's JSON. */
    readonly pieces: JsonPieces,
  ) {}

  /** The JSON as one buffer, `before` and `after` around it. */
  bytes(before = '', after = ''): Buffer {
    return Buffer.concat(flatten([Buffer.from(before), this.pieces, Buffer.from(after)], []));
  }

  /** The JSON text. */
  get json(): string {
    return this.bytes().toString('utf8');
  }

  /** For serialisers other than ours: the value the JSON stands for. */
  toJSON(): T {
    return JSON.parse(this.json) as T;
  }

  /**
   * This object where the handler's signature wants the value: vscode-jsonrpc passes a result through
   * untouched to the encoder below (or to a transport's serialiser, which calls toJSON).
   */
  asResult(): T {
    return this as unknown as T;
  }
}

function isSerializedResponse(message: Message): message is ResponseMessage & { result: SerializedResult<unknown> } {
  return (message as ResponseMessage).result instanceof SerializedResult;
}

/** vscode-jsonrpc's application/json encoder, splicing in a SerializedResult's bytes unchanged. */
export const jsonEncoder = {
  name: 'application/json',
  encode(message: Message, options: { charset: BufferEncoding }): Promise<Uint8Array> {
    try {
      if (isSerializedResponse(message) && /^utf-?8$/i.test(options.charset)) {
        return Promise.resolve(message.result.bytes(`{"jsonrpc":${JSON.stringify(message.jsonrpc)},"id":${JSON.stringify(message.id)},"result":`, '}'));
      }
      return Promise.resolve(Buffer.from(JSON.stringify(message), options.charset));
    } catch (error) {
      return Promise.reject(error);
    }
  },
};
