import { describe, expect, it } from 'vitest';
import { draftOf, movesArtifacts, settingsOf } from './settings-draft';

describe('storage settings draft', () => {
  it('round-trips settings and leaves empty optional fields out', () => {
    const s3 = { backend: 's3' as const, bucket: 'b-1', prefix: 'p', region: 'eu-west-1', pruneLocal: true };
    expect(settingsOf(draftOf(s3))).toEqual(s3);
    expect(settingsOf({ ...draftOf(s3), region: ' ', endpoint: ' http://127.0.0.1:9000 ' })).toEqual({ backend: 's3', bucket: 'b-1', prefix: 'p', endpoint: 'http://127.0.0.1:9000', pruneLocal: true });
    expect(settingsOf(draftOf({ backend: 'local' }))).toEqual({ backend: 'local' });
  });

  it('a new bucket, prefix, backend or endpoint moves artifacts; pruning or region does not', () => {
    const a = { backend: 's3' as const, bucket: 'one', prefix: '', pruneLocal: false };
    expect(movesArtifacts(a, { ...a, bucket: 'two' })).toBe(true);
    expect(movesArtifacts(a, { ...a, prefix: 'x' })).toBe(true);
    expect(movesArtifacts(a, { backend: 'local' })).toBe(true);
    expect(movesArtifacts(a, { ...a, pruneLocal: true, region: 'auto' })).toBe(false);
  });
});
