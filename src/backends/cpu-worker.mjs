// Worker-thread entry of the cpu worker pool (plain JS). In the compiled package the task module sits
// next to this file as cpu-worker-task.js; in a checkout only the TypeScript exists, so it registers tsx
// and loads that.
import { existsSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const compiled = new URL('./cpu-worker-task.js', import.meta.url);
let task;
if (existsSync(compiled)) task = await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  task = await import('./cpu-worker-task.ts');
}
const { runCpuTask } = task;
parentPort.on('message', (t) => {
  const result = runCpuTask(t);
  parentPort.postMessage(result);
});
parentPort.postMessage({ ready: true });
