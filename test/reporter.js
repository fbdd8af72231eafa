// Mocha reporter: mocha's own `spec` output, then the plain closing line `N passed, N failed` that CI and
// people read (mocha itself prints "N passing"). Used by both suites (Node and extension host).
'use strict';
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class PassedFailedReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats ?? {};
      const suite = (options && options.reporterOptions && options.reporterOptions.suite) || process.env.MOCHA_SUITE;
      const label = suite ? `${suite}: ` : '';
      console.log(`${label}${s.passes ?? 0} passed, ${s.failures ?? 0} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
    });
  }
}
module.exports = PassedFailedReporter;
