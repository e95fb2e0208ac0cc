/**
 * The form of an IP address that its keyed hash is taken over. An IPv4
 * address is itself (its IPv4-mapped IPv6 form `::ffff:a.b.c.d` too). An IPv6
 * address is parsed (any spelling: `::` compression, leading zeros, upper
 * case, an embedded IPv4 tail, a `%zone`), masked to its first `prefixLength`
 * bits and written in full as `h:h:h:h:h:h:h:h/prefixLength`, so every address
 * a host rotates through within its /64 (privacy extensions) is one address to
 * the IP rules. Anything else is returned trimmed and lower-cased.
 *
 * Pure string work, no `node:net`, so the engine stays runtime-neutral.
 */
export function canonicalIp(value: string, prefixLength: number): string {
  const v = value.trim().toLowerCase();
  if (!v.includes(':')) return v;
  const words = ipv6Words(v.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, ''));
  if (words === null) return v;
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `${words[6]! >> 8}.${words[6]! & 255}.${words[7]! >> 8}.${words[7]! & 255}`;
  }
  const masked = words.map((word, i) => {
    const keep = Math.min(16, Math.max(0, prefixLength - 16 * i));
    return keep === 0 ? 0 : word & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${masked.map((w) => w.toString(16)).join(':')}/${prefixLength}`;
}

const HEXTET = /^[0-9a-f]{1,4}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The eight 16-bit words of an IPv6 address, or null when it is not one. */
function ipv6Words(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parts = (half: string | undefined): number[] | null => {
    if (half === undefined || half === '') return [];
    const out: number[] = [];
    const groups = half.split(':');
    for (const [i, group] of groups.entries()) {
      const v4 = i === groups.length - 1 ? IPV4.exec(group) : null;
      if (v4) {
        const octets = v4.slice(1).map(Number);
        if (octets.some((o) => o > 255)) return null;
        out.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
      } else if (HEXTET.test(group)) {
        out.push(parseInt(group, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = parts(halves[0]);
  const tail = parts(halves[1]);
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : null;
}
