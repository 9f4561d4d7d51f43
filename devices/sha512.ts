/** SHA-512 (FIPS 180-4) in plain JavaScript on 32-bit halves, so ed25519 signing needs neither node:crypto nor WebCrypto. */

const TWO32 = 0x1_0000_0000;

/** Integer k-th root of a BigInt (Newton's method, rounded down). */
function iroot(n: bigint, k: bigint): bigint {
  let x = 1n << (BigInt(n.toString(2).length) / k + 1n);
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) return x;
    x = y;
  }
}

function primes(count: number): number[] {
  const out: number[] = [];
  for (let n = 2; out.length < count; n++) if (out.every((p) => n % p !== 0)) out.push(n);
  return out;
}

/** The first 64 bits of the fractional part of the k-th root of each prime, as [hi, lo] pairs (FIPS 180-4 §4.2.3, §5.3.5). */
function fractionBits(count: number, k: bigint): Uint32Array {
  const out = new Uint32Array(count * 2);
  primes(count).forEach((p, i) => {
    const v = iroot(BigInt(p) << (64n * k), k) & 0xffff_ffff_ffff_ffffn;
    out[2 * i] = Number(v >> 32n);
    out[2 * i + 1] = Number(v & 0xffff_ffffn);
  });
  return out;
}

/** Round constants K (cube roots of the first 80 primes) and the initial hash H(0) (square roots of the first 8). */
const K = fractionBits(80, 3n);
const H0 = fractionBits(8, 2n);

/** 64-bit rotate right of (h, l) by n, 0 < n < 64, n ≠ 32; returns the high or low half. */
const rotrHi = (h: number, l: number, n: number) => (n < 32 ? (h >>> n) | (l << (32 - n)) : (l >>> (n - 32)) | (h << (64 - n)));
const rotrLo = (h: number, l: number, n: number) => (n < 32 ? (l >>> n) | (h << (32 - n)) : (h >>> (n - 32)) | (l << (64 - n)));

/**
 * SHA-512 of `msg`.
 * @example
 * sha512(new TextEncoder().encode('abc')) // ddaf35a1 93617aba … a54ca49f (64 bytes)
 */
export function sha512(msg: Uint8Array): Uint8Array {
  const len = msg.length;
  const blocks = Math.ceil((len + 17) / 128);
  const buf = new Uint8Array(blocks * 128);
  buf.set(msg);
  buf[len] = 0x80;
  const view = new DataView(buf.buffer);
  // The message length in bits, as a 128-bit big-endian integer (lengths here fit in 53 bits).
  view.setUint32(buf.length - 8, Math.floor(len / 0x2000_0000));
  view.setUint32(buf.length - 4, (len << 3) >>> 0);
  const H = Uint32Array.from(H0);
  const W = new Uint32Array(160);
  for (let b = 0; b < blocks; b++) {
    for (let t = 0; t < 32; t++) W[t] = view.getUint32(b * 128 + t * 4);
    for (let t = 16; t < 80; t++) {
      const xh = W[2 * t - 30]!, xl = W[2 * t - 29]!; // W[t-15]
      const yh = W[2 * t - 4]!, yl = W[2 * t - 3]!; // W[t-2]
      // σ0 = ROTR1 ^ ROTR8 ^ SHR7; σ1 = ROTR19 ^ ROTR61 ^ SHR6
      const s0h = (rotrHi(xh, xl, 1) ^ rotrHi(xh, xl, 8) ^ (xh >>> 7)) >>> 0;
      const s0l = (rotrLo(xh, xl, 1) ^ rotrLo(xh, xl, 8) ^ ((xl >>> 7) | (xh << 25))) >>> 0;
      const s1h = (rotrHi(yh, yl, 19) ^ rotrHi(yh, yl, 61) ^ (yh >>> 6)) >>> 0;
      const s1l = (rotrLo(yh, yl, 19) ^ rotrLo(yh, yl, 61) ^ ((yl >>> 6) | (yh << 26))) >>> 0;
      const lo = s1l + W[2 * t - 13]! + s0l + W[2 * t - 31]!; // + W[t-7] + W[t-16]
      W[2 * t + 1] = lo;
      W[2 * t] = s1h + W[2 * t - 14]! + s0h + W[2 * t - 32]! + Math.floor(lo / TWO32);
    }
    let ah = H[0]!, al = H[1]!, bh = H[2]!, bl = H[3]!, ch = H[4]!, cl = H[5]!, dh = H[6]!, dl = H[7]!;
    let eh = H[8]!, el = H[9]!, fh = H[10]!, fl = H[11]!, gh = H[12]!, gl = H[13]!, hh = H[14]!, hl = H[15]!;
    for (let t = 0; t < 80; t++) {
      // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]; T2 = Σ0(a) + Maj(a, b, c)
      const S1h = (rotrHi(eh, el, 14) ^ rotrHi(eh, el, 18) ^ rotrHi(eh, el, 41)) >>> 0;
      const S1l = (rotrLo(eh, el, 14) ^ rotrLo(eh, el, 18) ^ rotrLo(eh, el, 41)) >>> 0;
      const chh = ((eh & fh) ^ (~eh & gh)) >>> 0;
      const chl = ((el & fl) ^ (~el & gl)) >>> 0;
      const t1l = hl + S1l + chl + K[2 * t + 1]! + W[2 * t + 1]!;
      const t1h = hh + S1h + chh + K[2 * t]! + W[2 * t]! + Math.floor(t1l / TWO32);
      const S0h = (rotrHi(ah, al, 28) ^ rotrHi(ah, al, 34) ^ rotrHi(ah, al, 39)) >>> 0;
      const S0l = (rotrLo(ah, al, 28) ^ rotrLo(ah, al, 34) ^ rotrLo(ah, al, 39)) >>> 0;
      const mjh = ((ah & bh) ^ (ah & ch) ^ (bh & ch)) >>> 0;
      const mjl = ((al & bl) ^ (al & cl) ^ (bl & cl)) >>> 0;
      const t2l = S0l + mjl;
      const t2h = S0h + mjh + Math.floor(t2l / TWO32);
      hh = gh; hl = gl; gh = fh; gl = fl; fh = eh; fl = el;
      const el2 = dl + (t1l >>> 0);
      eh = (dh + t1h + Math.floor(el2 / TWO32)) >>> 0; el = el2 >>> 0;
      dh = ch; dl = cl; ch = bh; cl = bl; bh = ah; bl = al;
      const al2 = (t1l >>> 0) + (t2l >>> 0);
      ah = (t1h + t2h + Math.floor(al2 / TWO32)) >>> 0; al = al2 >>> 0;
    }
    const add = (i: number, h: number, l: number) => {
      const lo = H[i + 1]! + l;
      H[i + 1] = lo;
      H[i] = H[i]! + h + Math.floor(lo / TWO32);
    };
    add(0, ah, al); add(2, bh, bl); add(4, ch, cl); add(6, dh, dl); add(8, eh, el); add(10, fh, fl); add(12, gh, gl); add(14, hh, hl);
  }
  const out = new Uint8Array(64);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) ov.setUint32(i * 4, H[i]!);
  return out;
}
