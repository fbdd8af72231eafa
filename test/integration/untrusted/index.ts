import { runMocha } from '../runMocha';

/** Runs in a window whose workspace is NOT trusted (restricted mode). */
export function run(): Promise<void> {
  return runMocha(__dirname, 'untrusted');
}
