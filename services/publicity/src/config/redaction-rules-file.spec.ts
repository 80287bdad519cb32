import { loadServiceConfig } from '@enforcement/service-runtime';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REDACTION_RULES, redact } from '../disclosure-core/redaction';
import { publicitySettings } from './publicity-settings';
import { loadRedactionRules, redactionRulesFileProblems } from './redaction-rules-file';

describe('redaction rules as configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redaction-rules-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('keeps the defaults without a file', () => {
    expect(loadRedactionRules(undefined)).toBe(DEFAULT_REDACTION_RULES);
  });

  it('sets what the file names over the defaults', () => {
    const path = file('rules.json', JSON.stringify({ healthTerms: ['过敏'], nameMask: '*', replacements: { phone: '[电话]' } }));
    expect(redactionRulesFileProblems(path)).toEqual([]);
    const rules = loadRedactionRules(path);
    expect(rules.residentIds).toBe(true);
    expect(rules.replacements.address).toBe(DEFAULT_REDACTION_RULES.replacements.address);
    expect(redact('张三电话13812345678，对花生过敏。', { party: { kind: 'natural-person', name: '张三' } }, rules).text).toBe(
      '张*电话[电话]，［健康信息已隐去］。',
    );
  });

  it('refuses a file that is not JSON, has unknown keys or wrong types', () => {
    expect(redactionRulesFileProblems(file('bad.json', '{'))[0]).toMatch(/cannot read/);
    expect(redactionRulesFileProblems(file('unknown.json', JSON.stringify({ emails: true })))).toEqual([
      expect.stringMatching(/Unrecognized key/),
    ]);
    expect(redactionRulesFileProblems(file('types.json', JSON.stringify({ phones: 'yes' })))).toEqual([expect.stringMatching(/^phones:/)]);
    expect(redactionRulesFileProblems(join(dir, 'missing.json'))[0]).toMatch(/cannot read/);
  });

  it('stops the service at boot with a bad file', () => {
    expect(() => loadServiceConfig(publicitySettings, { REDACTION_RULES_FILE: file('boot.json', '{"phones":1}') })).toThrow(
      /REDACTION_RULES_FILE/,
    );
    const config = loadServiceConfig(publicitySettings, { REDACTION_RULES_FILE: file('ok.json', '{"nameMask":"*"}') });
    expect(config.settings.redactionRules.nameMask).toBe('*');
  });
});
