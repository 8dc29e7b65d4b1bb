import { encodedForms, MIN_SECRET_LENGTH } from '../store';

/** One thing about to leave for a remote: a runbook's text, a parameter, an input file, a label. */
export interface OutgoingItem {
  /** What it is, as the user knows it: `runbook RUNBOOK.md`, `parameter name`, `file data.csv`, `label note`. */
  item: string;
  text: string;
}

/** A secret found in an outgoing item: where and which (never its value). */
export interface AuditHit {
  item: string;
  line: number;
  /** The secret's name (`OPENAI_API_KEY`), or the key shape (`an OpenAI-style key (sk-…)`). */
  secret: string;
  /** How the value was written: plain, base64, hex…; `shape` for a well-known key shape. */
  encoding: string;
}

/** Well-known key shapes, found even when the vault does not hold the value. */
const KEY_SHAPES: { name: string; pattern: RegExp }[] = [
  { name: 'an OpenAI-style key (sk-…)', pattern: /\bsk-[A-Za-z0-9_-]{20,}/g },
  { name: 'a Jetty token (mlc_…)', pattern: /\bmlc_[A-Za-z0-9_-]{16,}/g },
  { name: 'an AWS access key id (AKIA…)', pattern: /\bAKIA[0-9A-Z]{16}\b/g },
  { name: 'a GitHub token (ghp_…)', pattern: /\bghp_[A-Za-z0-9]{36}\b/g },
  { name: 'a private key block', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g },
];

const lineAt = (text: string, index: number): number => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
};

/**
 * Scans everything about to go out for secret values (each in every encoded form the
 * redactor knows: `encodedForms` from the store) and for well-known key shapes. Items
 * named in `allowed` (the user's per-item override) are not scanned. The hits name the
 * item, line and secret, never the value.
 */
export function auditOutgoing(items: OutgoingItem[], secrets: Record<string, string>, allowed: readonly string[] = []): AuditHit[] {
  const forms = Object.entries(secrets)
    .filter(([, value]) => value.length >= MIN_SECRET_LENGTH)
    .flatMap(([name, value]) => encodedForms(value, MIN_SECRET_LENGTH).map((form) => ({ name, ...form })));
  const hits: AuditHit[] = [];
  for (const { item, text } of items) {
    if (allowed.includes(item)) continue;
    const lower = text.toLowerCase();
    const seen = new Set<string>();
    const hit = (index: number, secret: string, encoding: string) => {
      const line = lineAt(text, index);
      const key = `${line}\0${secret}`;
      if (seen.has(key)) return;
      seen.add(key);
      hits.push({ item, line, secret, encoding });
    };
    for (const form of forms) {
      const haystack = form.anyCase ? lower : text;
      const needle = form.anyCase ? form.text.toLowerCase() : form.text;
      for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) hit(at, form.name, form.encoding);
    }
    for (const shape of KEY_SHAPES) {
      for (const m of text.matchAll(shape.pattern)) hit(m.index, shape.name, 'shape');
    }
  }
  return hits.sort((a, b) => a.item.localeCompare(b.item) || a.line - b.line);
}

/** The message a blocked push shows: file, line and secret name of each hit. */
export function describeHits(hits: AuditHit[]): string {
  const lines = hits.slice(0, 20).map((h) => `  ${h.item}, line ${h.line}: ${h.secret}${h.encoding === 'plain' || h.encoding === 'shape' ? '' : ` (${h.encoding})`}`);
  if (hits.length > 20) lines.push(`  … and ${hits.length - 20} more`);
  return `blocked: secrets in what would be sent\n${lines.join('\n')}\nRemove them, or allow an item explicitly (--allow-secret "<item>").`;
}

/** Thrown when the audit finds secrets; carries the hits (no values). */
export class SecretAuditError extends Error {
  constructor(readonly hits: AuditHit[]) {
    super(describeHits(hits));
    this.name = 'SecretAuditError';
  }
}

export function assertClean(items: OutgoingItem[], secrets: Record<string, string>, allowed: readonly string[] = []): void {
  const hits = auditOutgoing(items, secrets, allowed);
  if (hits.length > 0) throw new SecretAuditError(hits);
}
