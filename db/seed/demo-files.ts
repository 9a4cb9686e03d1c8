/**
 * Tiny but valid evidence files for generated ledgers: a one-page PDF and a small PNG, each
 * different for a different `n` (so their SHA-256 differ, as real files would) and byte-for-byte
 * the same for the same `n` (so a seeded demo ledger is reproducible). Built by hand rather than
 * with zlib: the PNG uses a stored (uncompressed) deflate block, whose bytes cannot vary with
 * the zlib version.
 */

/** A one-page A4 PDF 1.4 with an ASCII caption (standard Helvetica needs no embedded font). */
export function tinyPdf(n: number, caption: string): Buffer {
  const text = `${caption} No. ${n}`.replace(/[^\x20-\x7e]/g, '?').replace(/([()\\])/g, '\\$1');
  const content = `BT /F1 14 Tf 72 770 Td (${text}) Tj ET\nBT /F1 9 Tf 72 750 Td (Synthetic demo evidence) Tj ET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, k) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${k + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  // Each cross-reference entry is exactly 20 bytes, ending in SP LF (PDF 1.4, 3.4.3).
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 16×16 RGB PNG: a two-colour striped pattern that depends on `n`. */
export function tinyPng(n: number): Buffer {
  const size = 16;
  const c1 = [(n * 37) % 256, (n * 91) % 256, (n * 53) % 256];
  const c2 = [255 - c1[0]!, 255 - c1[1]!, 255 - c1[2]!];
  const stripe = 1 + (n % 4);
  const raw = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const c = Math.floor((x + y) / stripe) % 2 === 0 ? c1 : c2;
      raw[row + 1 + x * 3] = c[0]!;
      raw[row + 2 + x * 3] = c[1]!;
      raw[row + 3 + x * 3] = c[2]!;
    }
  }
  // The first pixel carries `n` itself, so no two numbers give the same file.
  raw[1] = (n >>> 16) & 0xff;
  raw[2] = (n >>> 8) & 0xff;
  raw[3] = n & 0xff;
  // zlib stream with one stored deflate block (RFC 1950/1951): header, BFINAL=1 BTYPE=00, LEN, NLEN, data, Adler-32.
  const head = Buffer.from([0x78, 0x01, 0x01, raw.length & 0xff, raw.length >>> 8, ~raw.length & 0xff, (~raw.length >>> 8) & 0xff]);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(adler32(raw));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.concat([head, raw, adler])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
