/**
 * Which IP addresses a workflow step may download from: public unicast only. Everything a
 * provider's answer could point inward is refused — loopback, private, link-local (the cloud
 * metadata service 169.254.169.254 among them), carrier-grade NAT, multicast, unspecified,
 * reserved and documentation ranges, IPv6 unique-local, link- and site-local, and the IPv6
 * forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4), judged by that address.
 */
import net from 'node:net';

/** [first bytes, prefix length in bits, why refused]. */
type Range = readonly [readonly number[], number, string];

const V4: readonly Range[] = [
  [[0], 8, 'an unspecified ("this network") address'],
  [[10], 8, 'a private address'],
  [[100, 64], 10, 'a carrier-grade NAT address'],
  [[127], 8, 'a loopback address'],
  [[169, 254, 169, 254], 32, 'the cloud metadata address'],
  [[169, 254], 16, 'a link-local address'],
  [[172, 16], 12, 'a private address'],
  [[192, 0, 0], 24, 'an IETF protocol address'],
  [[192, 0, 2], 24, 'a documentation address'],
  [[192, 88, 99], 24, 'a 6to4 relay address'],
  [[192, 168], 16, 'a private address'],
  [[198, 18], 15, 'a benchmarking address'],
  [[198, 51, 100], 24, 'a documentation address'],
  [[203, 0, 113], 24, 'a documentation address'],
  [[224], 4, 'a multicast address'],
  [[240], 4, 'a reserved address'],
];

const V6: readonly Range[] = [
  [[], 128, 'an unspecified address'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, 'a loopback address'],
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'a discard address'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'a documentation address'],
  [[0xfc], 7, 'a unique-local address'],
  [[0xfe, 0x80], 10, 'a link-local address'],
  [[0xfe, 0xc0], 10, 'a site-local address'],
  [[0xff], 8, 'a multicast address'],
];

function inRange(bytes: readonly number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address (already known valid; a zone index is dropped). */
function ipv6Bytes(address: string): number[] {
  let text = address.split('%')[0];
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = ipv4Bytes(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const front = groups(head);
  const back = rest === null ? [] : groups(rest);
  const words = [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), or null. */
function embeddedIpv4(b: readonly number[]): number[] | null {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12, 16);
  if (zeros(0, 12) && !zeros(12, 16)) return b.slice(12, 16);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12, 16);
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  return null;
}

/** Why an IP address is not one a step may download from, or null for a public unicast address. Not an IP address at all: refused too. */
export function nonPublicReason(address: string): string | null {
  const family = net.isIP(address);
  if (family === 4) return V4.find((r) => inRange(ipv4Bytes(address), r))?.[2] ?? null;
  if (family !== 6) return 'not an IP address';
  const bytes = ipv6Bytes(address);
  const v6 = V6.find((r) => inRange(bytes, r))?.[2];
  if (v6) return v6;
  const v4 = embeddedIpv4(bytes);
  const reason = v4 && V4.find((r) => inRange(v4, r))?.[2];
  return reason ? `${reason} (inside an IPv6 address)` : null;
}
