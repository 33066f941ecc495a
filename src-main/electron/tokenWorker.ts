/**
 * The token worker in an Electron utilityProcess: a Node process of its own, so a
 * blocking or hung vendor PKCS#11 module never freezes the window, and one that works
 * in the packaged app, whose RunAsNode fuse is off (child_process.fork of the app
 * binary would start a second app, not Node).
 */
import { utilityProcess } from 'electron';
import type { WorkerLauncher } from '../signing/token/workerProcess.js';

export const utilityProcessWorker: WorkerLauncher = (workerPath, args, env) => {
  const child = utilityProcess.fork(workerPath, args, { env, stdio: 'ignore', serviceName: 'VanThu token service' });
  let alive = true;
  child.on('exit', () => {
    alive = false;
  });
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code) => listener(code, null)),
    stop: () => child.kill(),
    kill: () => child.kill(),
    get alive() {
      return alive;
    },
  };
};
