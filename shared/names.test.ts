import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameSchema, isName, toName } from './names';

/** Strings built mostly from the characters that make paths escape. */
const pathLike = fc.string({ unit: fc.constantFrom('.', '/', '\\', ':', '%', '\0', ' ', '~', 'a', 'Z', '0', '-', '_', 'é'), maxLength: 12 });
/** Mostly accepted names (the rule without its lookaheads, which fast-check cannot generate). */
const nameLike = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);
const anyName = fc.oneof(pathLike, fc.string({ maxLength: 120 }), nameLike);

const ROOTS = { posix: '/data/chat-runbooks', win32: 'C:\\Data\\chat-runbooks' } as const;

describe('collection and task names', () => {
  it('accepts the names real collections and tasks have', () => {
    for (const name of ['jettyio', 'figma-draw', 'my-org', 'supabase-postgres-best-practices', 'demo', 'hello-report', 'v1.2', 'a_b', 'A', '0', 'x'.repeat(100)]) {
      expect(isName(name), name).toBe(true);
    }
  });

  it('refuses separators, dot names, "..", a final ".", other characters and more than 100 characters', () => {
    for (const name of ['', '.', '..', '../x', '../../../../tmp/x', 'a/b', 'a\\b', '.hidden', '-flag', 'a..b', 'a.', 'C:x', 'a b', 'a\0b', 'é', '%2e%2e', 'x'.repeat(101), 'a\n']) {
      expect(isName(name), JSON.stringify(name)).toBe(false);
      expect(NameSchema.safeParse(name).success).toBe(false);
    }
  });

  it('never lets an accepted name resolve outside its root (POSIX and Windows paths)', () => {
    fc.assert(
      fc.property(anyName, anyName, (collection, task) => {
        fc.pre(isName(collection) && isName(task));
        for (const [flavour, root] of Object.entries(ROOTS)) {
          const p = path[flavour as keyof typeof ROOTS];
          const folder = p.resolve(root, collection, task);
          expect(folder.startsWith(root + p.sep), `${flavour}: ${folder}`).toBe(true);
          expect(p.relative(root, folder).split(p.sep)).toEqual([collection, task]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a name exactly when the schema does', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        expect(NameSchema.safeParse(name).success).toBe(isName(name));
      }),
    );
  });

  it('turns a freely named folder into a name, keeping valid names as they are', () => {
    expect(toName('My Stuff')).toBe('My-Stuff');
    expect(toName('café notes')).toBe('cafe-notes');
    expect(toName('..//..')).toBe('local');
    expect(toName('hello-report')).toBe('hello-report');
    fc.assert(
      fc.property(anyName, (value) => {
        const name = toName(value);
        expect(isName(name), JSON.stringify(value)).toBe(true);
        if (isName(value)) expect(name).toBe(value);
      }),
    );
  });
});

describe('nested collection paths as collection names', () => {
  it('joins the segments with "__", keeps a plain name as it is, and decodes back', async () => {
    const { collectionNameOf, collectionPathOf } = await import('./names');
    expect(collectionNameOf('gooseworks-ai/composites')).toBe('gooseworks-ai__composites');
    expect(collectionNameOf('demo')).toBe('demo');
    expect(collectionNameOf('my_org')).toBe('my_org');
    expect(collectionPathOf('gooseworks-ai__composites')).toBe('gooseworks-ai/composites');
    expect(collectionNameOf('a/b.c/d-e')).toBe('a__b.c__d-e');
  });

  it('is reversible: every path it accepts decodes to itself, and two paths never share a name', async () => {
    const { collectionNameOf, collectionPathOf } = await import('./names');
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/), { minLength: 1, maxLength: 4 }), (segments) => {
        // A plain name holding "__" is kept as it is (it reads back as a path): only paths that fit are in the domain.
        fc.pre(segments.every((s) => !s.includes('__') && !s.endsWith('_')));
        const p = segments.join('/');
        let name: string;
        try {
          name = collectionNameOf(p);
        } catch {
          return;
        }
        expect(isName(name)).toBe(true);
        expect(collectionPathOf(name)).toBe(p);
        if (seen.has(name)) expect(seen.get(name)).toBe(p);
        seen.set(name, p);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses segments that would not decode apart, bad names and paths too long for a name, saying why', async () => {
    const { collectionNameOf } = await import('./names');
    expect(() => collectionNameOf('a__b/c')).toThrow(/holds "__"/);
    expect(() => collectionNameOf('a_/b')).toThrow(/ends with "_"/);
    expect(() => collectionNameOf('../x')).toThrow(/is not a name/);
    expect(() => collectionNameOf('a//b')).toThrow(/is not a name/);
    expect(() => collectionNameOf(`${'a'.repeat(60)}/${'b'.repeat(60)}`)).toThrow(/longer than a collection name/);
  });
});
