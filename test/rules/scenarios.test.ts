import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario, collectScenarioFiles, runScenarioFile } from '../../bin/scenario-runner';

const SHARED = resolve(__dirname, '../../../shared/scenarios');

describe('the public scenarios of RULES.md', () => {
  const { files } = collectScenarioFiles([SHARED]);

  it('finds them all', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  for (const file of files) {
    it(file.slice(SHARED.length + 1), () => {
      const result = runScenarioFile(file);
      expect(result.detail).toBe('');
      expect(result.passed).toBe(true);
    });
  }
});

describe('the scenario runner', () => {
  const valid = {
    name: 'default',
    snapshot: {
      numbers: [{ number: '+14155550100', sms: true, default: true }],
      users: [],
      contacts: [{ id: 'c', phone: '+14155559001' }],
      messages: [],
    },
    send: { via: 'bulk', contactId: 'c' },
    expect: { from: '+14155550100', rule: 'default-outbound' },
  };

  it('reports what was expected and what came back', () => {
    const result = checkScenario('x.json', {
      ...valid,
      expect: { from: '+14155550100', rule: 'last-used' },
    });
    expect(result.passed).toBe(false);
    expect(result.detail).toBe(
      'expected +14155550100 by last-used, got +14155550100 by default-outbound',
    );
  });

  it('requires every expected warning', () => {
    const result = checkScenario('x.json', {
      ...valid,
      expect: { ...valid.expect, warnings: ['inferred'] },
    });
    expect(result.detail).toContain('warnings [inferred]');
  });

  it('fails a file that is not a scenario, with the reason, without crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify(valid));
    writeFileSync(join(dir, 'nested', 'truncated.json'), '{"name": "half');
    writeFileSync(
      join(dir, 'nested', 'no-send.json'),
      JSON.stringify({ ...valid, send: undefined }),
    );
    writeFileSync(
      join(dir, 'nested', 'bad-expect.json'),
      JSON.stringify({ ...valid, expect: { rule: 'x' } }),
    );
    writeFileSync(join(dir, 'notes.txt'), 'not json, and not a .json file');
    const { files } = collectScenarioFiles([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'good.json',
      'nested/bad-expect.json',
      'nested/no-send.json',
      'nested/truncated.json',
    ]);
    const details = files.map((f) => runScenarioFile(f).detail);
    expect(details[0]).toBe('');
    expect(details[1]).toContain('"expect" needs "from"');
    expect(details[2]).toBe('not a scenario: "send" is missing');
    expect(details[3]).toContain('not valid JSON');
  });

  it('reports a path that does not exist', () => {
    expect(collectScenarioFiles(['/no/such/place']).missing).toEqual(['/no/such/place']);
  });
});

describe('npm run scenarios', () => {
  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', resolve(__dirname, '../../bin/scenarios.ts'), ...args],
      {
        encoding: 'utf8',
      },
    );

  it('prints a line per scenario and a closing count, exiting 0 when all pass', () => {
    const run = cli(SHARED);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('pass  '))).toHaveLength(lines.length - 1);
    expect(lines.at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    expect(run.status).toBe(0);
  });

  it('exits non-zero on a failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    writeFileSync(join(dir, 'broken.json'), '[]');
    const run = cli(SHARED, dir);
    expect(run.stdout).toContain('not a scenario: the file must hold a JSON object');
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 1 failed$/);
    expect(run.status).toBe(1);
  });
});
