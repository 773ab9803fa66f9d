// The baseline for bench:turn: a workflow whose update returns its argument, with nothing else to do.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const echoUpdate = defineUpdate<string, [string]>('echo');

export async function echoWorkflow(): Promise<void> {
  let done = false;
  setHandler(echoUpdate, (text) => text);
  await condition(() => done);
  done = true;
}
