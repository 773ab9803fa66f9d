// The worker bundle for benchmarks: Threadline's workflows plus the echo baseline.
export * from '../workflows/index.ts';
export * from './echo.workflow.ts';
