// Worker-thread entry of the cpu worker pool (plain JS: it registers tsx, then loads the TypeScript task).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runCpuTask } = await import('./cpu-worker-task.ts');
parentPort.on('message', (task) => {
  const result = runCpuTask(task);
  parentPort.postMessage(result);
});
parentPort.postMessage({ ready: true });
