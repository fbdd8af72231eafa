/**
 * The extension-host suite's entry (the standard `run()` shape both @vscode/test-electron and the
 * code-server runner call). Runs every `*.test.js` beside this file with our `N passed, N failed` reporter.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(full);
    return e.name.endsWith('.test.js') ? [full] : [];
  });
}

export function run(): Promise<void> {
  const reporter = path.resolve(__dirname, '../../../test/reporter.js');
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter, reporterOptions: { suite: 'integration' } });
  const grep = process.env.MCP_TASKS_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of findTests(__dirname).sort()) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
