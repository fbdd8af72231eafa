import { runMocha } from '../runMocha';

/** A multi-root workspace (two folders) whose second folder configures a server in its folder settings. */
export function run(): Promise<void> {
  return runMocha(__dirname, 'multiroot');
}
