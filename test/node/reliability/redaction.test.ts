// Redaction hides secrets, not words: `${input:…}` answers, header values and env values whose names mark
// them as secret (TOKEN, KEY, PASSWORD…) become ***; an ordinary env value (ADV=paused, MODE=development)
// stays readable in errors and logs (it used to turn "Task paused-1" into "Task ***-1").
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ConnectionState } from '../../../src/core';
import type { ServerConfig, StdioServerConfig } from '../../../src/core/config/ServerConfig';
import type { CoreSettings } from '../../../src/core/model/ports';
import { ServerRegistry } from '../../../src/core/servers/ServerRegistry';
import { isSecretName, makeRedactor } from '../../../src/core/util/redact';
import { MemoryStorage } from '../../support/memoryStorage';
import { waitFor } from '../../support/waiting';

const SETTINGS: CoreSettings = { minPollIntervalMs: 100, maxPollIntervalMs: 2_000, defaultTaskTtlMs: 60_000, requestTimeoutMs: 5_000 };
const secret = (label: string) => `${label}-${randomBytes(10).toString('hex')}`;

/** A stdio "server" that prints one line built from its environment and argv, then exits. */
function sayingThenExiting(id: string, line: string, env: Record<string, string>, extra: Partial<StdioServerConfig> = {}): StdioServerConfig {
  return {
    id,
    name: id,
    source: 'test',
    fromWorkspace: false,
    type: 'stdio',
    command: process.execPath,
    args: ['-e', `console.error(${line}); process.exit(3)`],
    env,
    ...extra,
  };
}

async function failureReason(config: ServerConfig): Promise<{ reason: string; log: string }> {
  const lines: string[] = [];
  const registry = new ServerRegistry({
    storage: new MemoryStorage(),
    log: { log: (level, serverId, message) => lines.push(`${level} [${serverId ?? '-'}] ${message}`) },
    elicit: async () => ({ action: 'decline' }),
    settings: () => SETTINGS,
  });
  try {
    registry.setConfigs([config]);
    const server = registry.get(config.id)!;
    const failed = await waitFor(`${config.id} to fail`, () => (server.state.kind === 'failed' ? server.state : undefined), 10_000);
    return { reason: (failed as Extract<ConnectionState, { kind: 'failed' }>).reason, log: lines.join('\n') };
  } finally {
    await registry.dispose();
  }
}

describe('reliability: redaction hides secrets, not words', function () {
  this.timeout(30_000);

  it('ordinary env values stay readable in a failure reason and the log; secret-named ones are hidden', async () => {
    const TOKEN = secret('tok');
    const PASSWORD = secret('pw');
    const { reason, log } = await failureReason(
      sayingThenExiting('ordinary', "'Task ' + process.env.ADV + '-1 in ' + process.env.MODE + ' mode, token ' + process.env.API_TOKEN + ' pw ' + process.env.DB_PASSWORD", {
        ADV: 'paused',
        MODE: 'development',
        API_TOKEN: TOKEN,
        DB_PASSWORD: PASSWORD,
      }),
    );
    assert.match(reason, /Task paused-1 in development mode, token \*\*\* pw \*\*\*/, reason);
    assert.match(log, /Task paused-1 in development mode/, 'the log line is readable too');
    for (const value of [TOKEN, PASSWORD]) {
      assert.ok(!reason.includes(value) && !log.includes(value), `${value} leaked`);
    }
  });

  it('an ${input:…} answer is hidden wherever it went, even under an ordinary name or in argv', async () => {
    const ANSWER = secret('answer');
    const { reason, log } = await failureReason(
      sayingThenExiting('inputs', "'mode ' + process.env.MODE + ' arg ' + process.argv[1]", { MODE: ANSWER }, {
        args: ['-e', "console.error('mode ' + process.env.MODE + ' arg ' + process.argv[1]); process.exit(3)", '--', `--key=${ANSWER}`],
        inputValues: [ANSWER],
      }),
    );
    assert.match(reason, /mode \*\*\* arg --key=\*\*\*/, reason);
    assert.ok(!reason.includes(ANSWER) && !log.includes(ANSWER), 'the input answer leaked');
  });

  it('names that mark secrets', () => {
    for (const name of ['API_TOKEN', 'GITHUB_TOKEN', 'OPENAI_API_KEY', 'apiKey', 'CLIENT_SECRET', 'DB_PASSWORD', 'PGPASS', 'BASIC_AUTH', 'AUTHORIZATION', 'GOOGLE_APPLICATION_CREDENTIALS', 'PRIVATE_KEY_PATH', 'SESSION_COOKIE', 'SESSION_ID']) {
      assert.ok(isSecretName(name), `${name} is a secret's name`);
    }
    for (const name of ['ADV', 'MODE', 'DEBUG', 'PATH', 'HOME', 'NODE_ENV', 'LOG_LEVEL', 'PWD', 'PORT', 'REGION']) {
      assert.ok(!isSecretName(name), `${name} is no secret's name`);
    }
  });

  it('the redactor still hides a header value and its bearer token', () => {
    const redact = makeRedactor(['Bearer abc123token', 'paused']);
    assert.equal(redact('got abc123token; Task paused-1'), 'got ***; Task ***-1', 'values given to it are hidden, whatever they look like');
  });
});
