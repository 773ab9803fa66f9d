/**
 * Workflow time in ms. Inside the workflow sandbox Date is replayed deterministically (it reads the time of the
 * current workflow task), so this is the one sanctioned clock read for workflow code.
 */
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties
  return Date.now();
}
