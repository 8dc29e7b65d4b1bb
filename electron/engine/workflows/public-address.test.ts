import { describe, expect, it } from 'vitest';
import { nonPublicReason } from './public-address';

describe('addresses a step may download from', () => {
  it('refuses every inward-pointing IPv4 address', () => {
    const refused: [string, string][] = [
      ['127.0.0.1', 'a loopback address'],
      ['127.255.255.254', 'a loopback address'],
      ['10.1.2.3', 'a private address'],
      ['172.16.0.1', 'a private address'],
      ['172.31.255.255', 'a private address'],
      ['192.168.1.1', 'a private address'],
      ['169.254.169.254', 'the cloud metadata address'],
      ['169.254.0.1', 'a link-local address'],
      ['100.64.0.1', 'a carrier-grade NAT address'],
      ['100.127.255.255', 'a carrier-grade NAT address'],
      ['0.0.0.0', 'an unspecified ("this network") address'],
      ['224.0.0.1', 'a multicast address'],
      ['239.255.255.250', 'a multicast address'],
      ['255.255.255.255', 'a reserved address'],
      ['192.0.2.10', 'a documentation address'],
      ['198.18.0.1', 'a benchmarking address'],
    ];
    for (const [address, reason] of refused) expect(nonPublicReason(address), address).toBe(reason);
  });

  it('refuses inward IPv6 addresses, and IPv6 forms of inward IPv4 addresses', () => {
    const refused: [string, string][] = [
      ['::1', 'a loopback address'],
      ['::', 'an unspecified address'],
      ['fd00::1', 'a unique-local address'],
      ['fc12:3456::1', 'a unique-local address'],
      ['fe80::1', 'a link-local address'],
      ['fe80::1%eth0', 'a link-local address'],
      ['febf::1', 'a link-local address'],
      ['fec0::1', 'a site-local address'],
      ['ff02::1', 'a multicast address'],
      ['2001:db8::1', 'a documentation address'],
      ['::ffff:127.0.0.1', 'a loopback address (inside an IPv6 address)'],
      ['::ffff:7f00:1', 'a loopback address (inside an IPv6 address)'],
      ['::ffff:169.254.169.254', 'the cloud metadata address (inside an IPv6 address)'],
      ['::ffff:a9fe:a9fe', 'the cloud metadata address (inside an IPv6 address)'],
      ['::127.0.0.1', 'a loopback address (inside an IPv6 address)'],
      ['64:ff9b::10.0.0.1', 'a private address (inside an IPv6 address)'],
      ['2002:c0a8:0101::1', 'a private address (inside an IPv6 address)'],
    ];
    for (const [address, reason] of refused) expect(nonPublicReason(address), address).toBe(reason);
  });

  it('allows public unicast addresses, in either family and in mapped form', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '2002:0808:0808::1']) {
      expect(nonPublicReason(address), address).toBeNull();
    }
  });

  it('refuses what is not an IP address at all', () => {
    for (const text of ['', 'localhost', '1.2.3', '::g', '01.2.3.4']) expect(nonPublicReason(text), text).toBe('not an IP address');
  });
});
