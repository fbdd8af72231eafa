/**
 * Runs one extension-host suite (the standard `run()` shape both @vscode/test-electron and the
 * code-server runner call): every `*.test.js` in `dir`, with our `N passed, N failed` reporter.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function runMocha(dir: string, suite: string): Promise<void> {
  const reporter = path.resolve(__dirname, '../../../test/reporter.js');
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter, reporterOptions: { suite } });
  const grep = process.env.MCP_TASKS_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} ${suite} test(s) failed`)) : resolve()));
  });
}
