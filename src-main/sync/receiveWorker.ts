/**
 * Worker thread of the pull: reads downloaded packages with the streaming edXML reader
 * (payloads decoded straight to temporary files next to the file store), so that the
 * main thread keeps downloading and committing while a package is parsed.
 * Messages: see receivePool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { readReceivedFile, type ReadRequest } from './receivePool.js';

parentPort?.on('message', (request: ReadRequest) => {
  const answer = readReceivedFile(request);
  // A moved buffer goes back for the next package (the answer holds no view of it).
  const returned = 'bytes' in request.source && request.source.bytes.buffer instanceof ArrayBuffer ? request.source.bytes.buffer : undefined;
  parentPort?.postMessage({ ...answer, returned }, returned ? [returned] : []);
});
