import { Transform } from 'node:stream';
import { MIN_SECRET_LENGTH, redactable, redactedMarker } from './redactor';
import { compileSecretMatcher, type SecretMatcher } from './secret-matcher';

/** Like git: a file with a NUL byte in its first 8000 bytes is binary. */
const SNIFF_BYTES = 8000;

/** One file as it streams through redaction, and what was found in it once it has. */
export interface RedactedFile {
  stream: Transform;
  /** Names of the secrets found (in any form), complete when the stream has ended. */
  readonly found: ReadonlySet<string>;
  /** Whether the file was taken as binary (its secrets overwritten in place, not replaced). */
  readonly binary: boolean;
}

/**
 * In a text file a secret becomes `[REDACTED:NAME]`. In a binary file replacing it
 * would shift every offset after it (and a file with offsets, a zip, a PDF, an SQLite
 * database, would no longer open), so its bytes are overwritten in place with the marker
 * cut or padded with `*` to the same length: the file keeps its layout, the secret is gone.
 */
const inPlace = (name: string, match: string): string => redactedMarker(name).padEnd(match.length, '*').slice(0, match.length);

/**
 * Redacts files byte-exactly as they stream (any encoding, valid UTF-8 or not): each
 * chunk is scanned as latin1 text against the secrets' UTF-8 forms, and the last
 * `maxMatchLength` bytes are held back until more arrive, so a secret split across two
 * chunks is still caught. Null when there are no secrets to look for.
 */
export function createFileRedactor(secrets: Record<string, string>): { file(): RedactedFile } | null {
  const matcher = compileSecretMatcher(redactable(secrets), MIN_SECRET_LENGTH, 'bytes');
  if (matcher === null) return null;
  return { file: () => redactedFile(matcher) };
}

function redactedFile(matcher: SecretMatcher): RedactedFile {
  const found = new Set<string>();
  let held = '';
  let binary: boolean | null = null;
  const toText = (name: string, _match: string) => Buffer.from(redactedMarker(name), 'utf8').toString('latin1');

  const release = (all: boolean): Buffer | null => {
    // Held whole until the first SNIFF_BYTES (or the end) tell text from binary.
    binary ??= held.length >= SNIFF_BYTES || all ? held.slice(0, SNIFF_BYTES).includes('\0') : null;
    if (binary === null) return null;
    const until = all ? held.length : held.length - matcher.maxMatchLength + 1;
    if (until <= 0) return null;
    const out = matcher.replacePrefix(held, until, binary ? inPlace : toText, found);
    held = held.slice(out.rest);
    return Buffer.from(out.text, 'latin1');
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      held += chunk.toString('latin1');
      const out = release(false);
      if (out) this.push(out);
      callback();
    },
    flush(callback) {
      const out = release(true);
      if (out) this.push(out);
      callback();
    },
  });
  return {
    stream,
    found,
    get binary() {
      return binary === true;
    },
  };
}
