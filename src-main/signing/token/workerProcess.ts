/**
 * How the token worker process is started. Plain Node (preview host, CLI, tests)
 * forks it; the Electron shell passes a launcher over `utilityProcess`, because the
 * packaged app has the RunAsNode fuse off and so cannot fork itself as Node.
 */
import { fork } from 'node:child_process';

export interface WorkerProcess {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Asks the worker to end (it logs out and exits); kill() if it does not. */
  stop(): void;
  kill(): void;
  readonly alive: boolean;
}

export type WorkerLauncher = (workerPath: string, args: string[], env: NodeJS.ProcessEnv) => WorkerProcess;

export const forkWorker: WorkerLauncher = (workerPath, args, env) => {
  const child = fork(workerPath, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env, serialization: 'json' });
  return {
    send: (message) => child.send(message as object),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
    stop: () => child.disconnect(),
    kill: () => child.kill('SIGKILL'),
    get alive() {
      return child.connected;
    },
  };
};

/** The worker's side of the channel: a forked child's IPC, or a utility process's parentPort. */
export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function parentChannel(): ParentChannel | null {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (port) return { send: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (e) => l(e.data)) };
  if (process.send) {
    const send = process.send.bind(process);
    return { send: (m) => send(m as object), onMessage: (l) => process.on('message', l) };
  }
  return null;
}
