// The public form's proof of work (Features/Residents/ProofOfWork.cs), in a worker so that the page
// stays responsive: find a decimal counter such that SHA-256("<challenge>:<counter>") begins with
// the challenge's number of zero bits (its fourth dot-separated part). A small SHA-256 of our own,
// not Web Crypto: crypto.subtle exists only in a secure context (not on a town's plain-http
// intranet address), and its one promise per hash makes it about five times slower here.
'use strict';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Uint32Array(64);
const buffers = [];

/** SHA-256 of bytes; returns the first word of the digest and the rest as a Uint32Array(8). */
function sha256(bytes) {
  const length = bytes.length;
  const blocks = ((length + 9 + 63) >> 6) << 6;
  if (!buffers[blocks]) { buffers[blocks] = new Uint8Array(blocks); }
  const m = buffers[blocks];
  m.fill(0);
  m.set(bytes);
  m[length] = 0x80;
  const bits = length * 8;
  m[blocks - 4] = bits >>> 24; m[blocks - 3] = bits >>> 16; m[blocks - 2] = bits >>> 8; m[blocks - 1] = bits;
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  for (let off = 0; off < blocks; off += 64) {
    for (let i = 0; i < 16; i++) {
      W[i] = (m[off + 4 * i] << 24) | (m[off + 4 * i + 1] << 16) | (m[off + 4 * i + 2] << 8) | m[off + 4 * i + 3];
    }
    for (let i = 16; i < 64; i++) {
      const a = W[i - 15], b = W[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
  }
  return h;
}

function zeroBitsOfWords(h) {
  let zeros = 0;
  for (let i = 0; i < 8; i++) {
    if (h[i] === 0) { zeros += 32; continue; }
    return zeros + Math.clz32(h[i]);
  }
  return zeros;
}

async function solve(challenge) {
  const bits = Number(challenge.split('.')[3]);
  const prefix = new TextEncoder().encode(challenge + ':');
  // The message is the prefix and the counter's digits, written in place: no allocation per hash.
  const message = new Uint8Array(prefix.length + 20);
  message.set(prefix);
  for (let counter = 0; ; counter++) {
    const digits = String(counter);
    for (let i = 0; i < digits.length; i++) {
      message[prefix.length + i] = digits.charCodeAt(i);
    }
    if (zeroBitsOfWords(sha256(message.subarray(0, prefix.length + digits.length))) >= bits) {
      return digits;
    }
  }
}

self.onmessage = async (event) => {
  const challenge = String(event.data && event.data.challenge || '');
  if (!challenge) { return; }
  self.postMessage({ challenge, solution: await solve(challenge) });
};
