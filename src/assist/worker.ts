/**
 * The assistant's Web Worker: `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`
 * (see client.ts). Pixel work stays off the main thread; nothing is downloaded but slide tiles;
 * image and slide files are decoded here, once each.
 */
import { decodeImageBlob, webDecoders } from '../slides/webDecoders';
import { createAssistHandler } from './handler';
import type { AssistRequest, AssistResponse } from './protocol';

// The project compiles against the DOM lib; the WebWorker lib would clash with it, so type only what is used.
const scope = self as unknown as { postMessage(r: AssistResponse): void; onmessage: ((e: MessageEvent<AssistRequest>) => void) | null };
const handle = createAssistHandler((r) => scope.postMessage(r), { decodeImage: decodeImageBlob, tileDecoders: webDecoders });
scope.onmessage = (e) => void handle(e.data);
