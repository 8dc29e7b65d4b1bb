import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodedForms } from './encoded-forms';
import { MIN_SECRET_LENGTH } from './redactor';
import { aTrajectory, tempStore } from './temp-store.test-helper';

const SECRET = 'sk-test-Zq8vN3pL0wYt';
const SECRET_B64 = Buffer.from(SECRET).toString('base64');

const bytesOf = (file: string): Buffer => (existsSync(file) ? readFileSync(file) : Buffer.alloc(0));
const leaks = (bytes: Buffer): boolean =>
  bytes.includes(Buffer.from(SECRET, 'utf8')) || bytes.includes(Buffer.from(SECRET_B64, 'utf8'));

describe('redaction in the store', () => {
  it('keeps registered secrets out of exports and out of the database and WAL bytes', () => {
    const { store, file } = tempStore();
    const { id, init_params } = store.createTrajectory({
      ...aTrajectory({ init_params: { token: SECRET, note: `uses ${SECRET}` } }),
      secrets: { API_TOKEN: SECRET },
    });
    expect(init_params).toEqual({ token: '[REDACTED:API_TOKEN]', note: 'uses [REDACTED:API_TOKEN]' });

    const writer = store.eventWriter(id);
    for (let i = 0; i < 300; i++) {
      writer.append({
        level: 'info',
        type: 'command_output',
        step: 'deploy',
        payload: { stream: 'stdout', text: `curl -H "Authorization: Bearer ${SECRET}" #${i} Basic ${SECRET_B64}` },
      });
    }
    store.updateStep(id, 'deploy', { status: 'completed', outputs: { echoed: [SECRET], [SECRET]: 'as a key' } });
    store.addLabel(id, { key: 'note', value: `saw ${SECRET}`, author: 'ana' });
    store.addArtifact(id, { path: `out/${SECRET}.txt`, size: 1, sha256: '0', media_type: 'text/plain' });
    store.updateStatus(id, 'failed', `request failed: 401 for token ${SECRET}`);

    const exported = JSON.stringify(store.exportTrajectory(id));
    expect(exported).toContain('[REDACTED:API_TOKEN]');
    expect(exported).not.toContain(SECRET);
    expect(exported).not.toContain(SECRET_B64);
    expect(store.getTrajectory(id)!.error).toBe('request failed: 401 for token [REDACTED:API_TOKEN]');

    // Before a checkpoint the writes sit in the WAL; after it, in the main file.
    expect(bytesOf(`${file}-wal`).length).toBeGreaterThan(0);
    expect(leaks(bytesOf(`${file}-wal`))).toBe(false);
    store.checkpoint();
    expect(leaks(bytesOf(file))).toBe(false);
    expect(leaks(bytesOf(`${file}-wal`))).toBe(false);
    expect(bytesOf(file).includes(Buffer.from('[REDACTED:API_TOKEN]'))).toBe(true);
  });

  it('redacts secrets registered after creation, for that trajectory only, until forgotten', () => {
    const { store } = tempStore();
    const a = store.createTrajectory(aTrajectory()).id;
    const b = store.createTrajectory(aTrajectory()).id;
    expect(store.registerSecrets(a, { API_TOKEN: SECRET, PIN: '42' })).toEqual(['PIN']);
    store.updateStep(a, 's', { outputs: { v: SECRET } });
    store.updateStep(b, 's', { outputs: { v: SECRET } });
    expect(store.getTrajectory(a)!.steps.s.outputs.v).toBe('[REDACTED:API_TOKEN]');
    expect(store.getTrajectory(b)!.steps.s.outputs.v).toBe(SECRET);
    store.forgetSecrets(a);
    store.updateStep(a, 's', { outputs: { v: SECRET } });
    expect(store.getTrajectory(a)!.steps.s.outputs.v).toBe(SECRET);
  });
});

describe('redaction in the store: encoded forms (issue 10, defect 6)', () => {
  it('keeps hex, offset base64, percent-encoded, upper-cased and folded secrets out of exports and the database bytes', () => {
    const secret = 'sk-live!4f9a( 8b7c)6d5e/very+secret';
    const forms = encodedForms(secret, MIN_SECRET_LENGTH);
    const found = (bytes: Buffer): string[] => {
      const text = bytes.toString('latin1').replace(/\r?\n[ \t]*/g, '');
      return forms.filter((f) => (f.anyCase ? text.toLowerCase().includes(f.text.toLowerCase()) : text.includes(f.text))).map((f) => f.encoding);
    };
    const { store, file } = tempStore();
    const { id } = store.createTrajectory({ ...aTrajectory(), secrets: { API_TOKEN: secret } });
    const writer = store.eventWriter(id);
    const b64 = (prefix: string) => Buffer.from(prefix + secret).toString('base64');
    const outputs = [
      `hex ${Buffer.from(secret).toString('hex')} HEX ${Buffer.from(secret).toString('hex').toUpperCase()}`,
      `b64 ${b64('x')} ${b64('xy')} ${b64('x').replace(/\+/g, '-').replace(/\//g, '_')}`,
      `quote pa=sk-live%214f9a%28%208b7c%296d5e%2Fvery%2Bsecret quote_plus pa=sk-live%214f9a%28+8b7c%296d5e%2Fvery%2Bsecret`,
      `upper ${secret.toUpperCase()}`,
      `folded ${secret.slice(0, 9)}\n${secret.slice(9, 18)}\r\n    ${secret.slice(18)}`,
    ];
    for (const text of outputs) writer.append({ level: 'info', type: 'command_output', step: 'run', payload: { stream: 'stdout', text } });
    store.updateStep(id, 'run', { outputs: { last: outputs.join('\n') } });

    const exported = JSON.stringify(store.exportTrajectory(id));
    expect(exported.match(/\[REDACTED:API_TOKEN\]/g)!.length).toBeGreaterThanOrEqual(2 * 9);
    expect(found(Buffer.from(exported))).toEqual([]);
    expect(found(bytesOf(`${file}-wal`))).toEqual([]);
    store.checkpoint();
    expect(found(bytesOf(file))).toEqual([]);
  });
});
