/**
 * Bech32 (BIP-173) for age keys, as the age spec ("Conventions") amends it: no length limit on
 * the data part; a string is all lowercase or all uppercase, and the checksum is always computed
 * over the lowercase form. Follows the reference implementation's rules (age/internal/bech32):
 * the separator is the last '1', at least 6 checksum characters, padding bits must be zero and
 * fewer than 5.
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GENERATOR[i]!) >>> 0;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const h = hrp.toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < h.length; i++) out.push(h.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < h.length; i++) out.push(h.charCodeAt(i) & 31);
  return out;
}

/** Regroups bits; without padding, leftover bits must be fewer than `from` and all zero. */
function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | null {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = ((acc << from) | data[i]!) & 0xffffff; // only the low bits are ever read back
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) {
    return null;
  }
  return out;
}

function validHrp(hrp: string): boolean {
  if (hrp.length < 1) return false;
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/** Encodes `data` under `hrp`; an uppercase HRP gives an all-uppercase string. */
export function bech32Encode(hrp: string, data: Uint8Array): string {
  const lowerHrp = hrp.toLowerCase();
  const upper = hrp !== lowerHrp;
  if (!validHrp(hrp) || (upper && hrp !== hrp.toUpperCase())) throw new Error(`invalid HRP ${JSON.stringify(hrp)}`);
  const values = convertBits(data, 8, 5, true)!;
  const mod = polymod([...hrpExpand(lowerHrp), ...values, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = [0, 1, 2, 3, 4, 5].map((p) => (mod >>> (5 * (5 - p))) & 31);
  const s = `${lowerHrp}1${[...values, ...checksum].map((v) => CHARSET[v]).join('')}`;
  return upper ? s.toUpperCase() : s;
}

/** Decodes a Bech32 string; the HRP comes back in the string's case. Null if malformed. */
export function bech32Decode(s: string): { hrp: string; data: Uint8Array } | null {
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) return null;
  const pos = s.lastIndexOf('1');
  if (pos < 1 || pos + 7 > s.length) return null;
  const hrp = s.slice(0, pos);
  if (!validHrp(hrp)) return null;
  const values: number[] = [];
  for (const ch of lower.slice(pos + 1)) {
    const d = CHARSET.indexOf(ch);
    if (d === -1) return null;
    values.push(d);
  }
  if (polymod([...hrpExpand(hrp), ...values]) !== 1) return null;
  const bytes = convertBits(values.slice(0, -6), 5, 8, false);
  return bytes === null ? null : { hrp, data: Uint8Array.from(bytes) };
}
