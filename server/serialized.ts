// Responses whose JSON text is built by the server itself, and the stdio encoder that writes that text
// as it is. A 10,000-task outline is about 2 MB of JSON: JSON.stringify of it on every edit cost more
// than computing it (issue 9), while most of its text is the same as in the previous version. A
// transport that serialises messages itself (node IPC) still gets the plain value through toJSON.
import type { Message, ResponseMessage } from 'vscode-languageserver/node';

/** The JSON text of a result of type T. */
export class SerializedResult<T> {
  /** Only ties the text to its type. */
  declare private readonly type: T;

  constructor(
    /** The result's JSON text. */
    readonly json: string,
  ) {}

  /** For serialisers other than ours: the value the text stands for. */
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

/** vscode-jsonrpc's application/json encoder, splicing in a SerializedResult's text unchanged. */
export const jsonEncoder = {
  name: 'application/json',
  encode(message: Message, options: { charset: BufferEncoding }): Promise<Uint8Array> {
    try {
      const text = isSerializedResponse(message)
        ? `{"jsonrpc":${JSON.stringify(message.jsonrpc)},"id":${JSON.stringify(message.id)},"result":${message.result.json}}`
        : JSON.stringify(message);
      return Promise.resolve(Buffer.from(text, options.charset));
    } catch (error) {
      return Promise.reject(error);
    }
  },
};
