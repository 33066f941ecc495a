/**
 * Worker thread of the pull: reads downloaded packages with the streaming edXML reader
 * (payloads decoded straight to temporary files next to the file store), so that the
 * main thread keeps downloading and committing while a package is parsed.
 * Messages: see receivePool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { readReceivedFile, type ReadRequest } from './receivePool.js';

parentPort?.on('message', (request: ReadRequest) => {
  parentPort?.postMessage(readReceivedFile(request));
});
