import { runMocha } from '../runMocha';

/** The main extension-host suite: a trusted workspace with the demo server configured. */
export function run(): Promise<void> {
  return runMocha(__dirname, 'integration');
}
