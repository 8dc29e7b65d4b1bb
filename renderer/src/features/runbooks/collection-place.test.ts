import { describe, expect, it } from 'vitest';
import { placeOf } from './collection-place';

describe('placeOf', () => {
  it('takes the folder after runbooks/ as the collection and nests deeper folders under it', () => {
    expect(placeOf('/w', '/w/runbooks/gooseworks-ai/composites/battlecard-generator/RUNBOOK.md')).toEqual({
      collection: 'gooseworks-ai',
      subCollections: ['composites'],
      name: 'battlecard-generator',
    });
    expect(placeOf('/w', '/w/runbooks/ops/rotate-logs/RUNBOOK.md')).toEqual({ collection: 'ops', subCollections: [], name: 'rotate-logs' });
    expect(placeOf('/w', '/w/runbooks/a/b/c/d/RUNBOOK.md')).toEqual({ collection: 'a', subCollections: ['b', 'c'], name: 'd' });
  });

  it('works when the opened folder is inside runbooks/, or is runbooks/ itself', () => {
    expect(placeOf('/srv/runbooks/acme', '/srv/runbooks/acme/tools/lint/RUNBOOK.md')).toEqual({ collection: 'acme', subCollections: ['tools'], name: 'lint' });
    expect(placeOf('/srv/runbooks', '/srv/runbooks/acme/lint/RUNBOOK.md')).toEqual({ collection: 'acme', subCollections: [], name: 'lint' });
  });

  it('keeps a runbook folder named runbooks as a name', () => {
    expect(placeOf('/w', '/w/runbooks/ops/runbooks/RUNBOOK.md')).toEqual({ collection: 'ops', subCollections: [], name: 'runbooks' });
  });

  it('outside runbooks/, the first folder under the opened one is the collection', () => {
    expect(placeOf('/w/team', '/w/team/infra/dns/renew/RUNBOOK.md')).toEqual({ collection: 'infra', subCollections: ['dns'], name: 'renew' });
    expect(placeOf('/w/team', '/w/team/solo/RUNBOOK.md')).toEqual({ collection: 'team', subCollections: [], name: 'solo' });
    expect(placeOf('/w/team', '/w/team/RUNBOOK.md')).toEqual({ collection: 'team', subCollections: [], name: 'team' });
  });

  it('reads Windows paths', () => {
    expect(placeOf('C:\\w', 'C:\\w\\runbooks\\ops\\sub\\x\\RUNBOOK.md')).toEqual({ collection: 'ops', subCollections: ['sub'], name: 'x' });
  });
});
