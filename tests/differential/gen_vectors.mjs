#!/usr/bin/env node
// Generates weft's cross-implementation test vectors from the JavaScript libp2p reference
// libraries (@multiformats/multiaddr, @libp2p/crypto, @libp2p/peer-id).
//
//   cd tests/differential && npm ci && node gen_vectors.mjs
//
// Output (relative to the repository root), one JSON object per line:
//   tests/vectors/multiaddr_js.jsonl        text input  -> js verdict, bytes, text
//   tests/vectors/multiaddr_bytes_js.jsonl  binary input -> js verdict, text
//   tests/vectors/peer_id_js.jsonl          deterministic keys -> protobufs, PeerIds, signatures
//   tests/vectors/peer_id_parse_js.jsonl    PeerId strings / key protobufs -> js verdict
//
// The output is a pure function of the pinned package versions and this file: no clock, no
// Math.random, no system RNG. All randomness comes from a SHA-256 counter-mode stream with
// fixed seeds. See README.md for the field-by-field description.

import { createHash, createPrivateKey, createECDH } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { multiaddr } from '@multiformats/multiaddr'
import {
  generateKeyPairFromSeed, privateKeyFromProtobuf, privateKeyFromRaw, privateKeyToProtobuf,
  publicKeyFromProtobuf, publicKeyToProtobuf
} from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { bases } from 'multiformats/basics'
import * as Digest from 'multiformats/hashes/digest'

const here = dirname(fileURLToPath(import.meta.url))
const outDir = join(here, '..', 'vectors')

// ------------------------------------------------------------------------------------------
// helpers

const hex = (b) => Buffer.from(b).toString('hex')
const fromHex = (h) => Uint8Array.from(Buffer.from(h, 'hex'))
const utf8 = (s) => new TextEncoder().encode(s)
const sha256 = (data) => new Uint8Array(createHash('sha256').update(data).digest())

/** Deterministic byte stream: SHA-256(label || counter). */
class Drbg {
  constructor (label) {
    this.label = label
    this.counter = 0
    this.buf = new Uint8Array(0)
    this.pos = 0
  }

  bytes (n) {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      if (this.pos >= this.buf.length) {
        this.buf = sha256(utf8(`${this.label}/${this.counter++}`))
        this.pos = 0
      }
      out[i] = this.buf[this.pos++]
    }
    return out
  }

  u32 () {
    const b = this.bytes(4)
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0
  }

  /** Uniform integer in [lo, hi] (inclusive), hi - lo < 2^32. */
  int (lo, hi) {
    const span = hi - lo + 1
    const limit = Math.floor(0x100000000 / span) * span
    for (;;) {
      const v = this.u32()
      if (v < limit) return lo + (v % span)
    }
  }

  chance (p) { return this.u32() < p * 0x100000000 }
  pick (arr) { return arr[this.int(0, arr.length - 1)] }
}

function errInfo (e) {
  return { error: String(e?.message ?? e), error_type: String(e?.name ?? typeof e) }
}

function bigintToBytes (n, len) {
  let h = n.toString(16)
  if (h.length % 2) h = '0' + h
  const b = fromHex(h)
  if (len == null || b.length === len) return b
  const out = new Uint8Array(len)
  out.set(b, len - b.length)
  return out
}

const bytesToBigint = (b) => BigInt('0x' + (hex(b) || '0'))

// multibase encoders by name, from multiformats' "basics" set (the same set js-multiaddr
// accepts for certhash)
const mb = Object.fromEntries(Object.values(bases).map((c) => [c.name, c]))

// ------------------------------------------------------------------------------------------
// Keys (needed early: their PeerIds appear in the multiaddr corpus)

const ED25519_COUNT = 50

function ed25519Seed (i) {
  // seeds 0..15: the byte i repeated 32 times; 16..49: SHA-256("weft/ed25519/<i>")
  return i < 16 ? new Uint8Array(32).fill(i) : sha256(utf8(`weft/ed25519/${i}`))
}

function message (kind, i) {
  return i === 0 ? new Uint8Array(0) : utf8(`weft differential test message ${kind} ${i}`)
}

// --- deterministic RSA key generation (BigInt, Miller-Rabin) -------------------------------

const SMALL_PRIMES = (() => {
  const out = []
  for (let n = 3; out.length < 300; n += 2) {
    if (out.every((p) => n % p !== 0)) out.push(n)
  }
  return out.map(BigInt)
})()

function modpow (b, e, m) {
  let r = 1n
  b %= m
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m
    e >>= 1n
    b = (b * b) % m
  }
  return r
}

function isProbablePrime (n, rng) {
  for (const p of SMALL_PRIMES) {
    if (n === p) return true
    if (n % p === 0n) return false
  }
  let d = n - 1n
  let s = 0
  while ((d & 1n) === 0n) { d >>= 1n; s++ }
  const bytes = Math.ceil(n.toString(2).length / 8)
  for (let round = 0; round < 40; round++) {
    const a = 2n + bytesToBigint(rng.bytes(bytes)) % (n - 4n)
    let x = modpow(a, d, n)
    if (x === 1n || x === n - 1n) continue
    let composite = true
    for (let r = 1; r < s; r++) {
      x = (x * x) % n
      if (x === n - 1n) { composite = false; break }
    }
    if (composite) return false
  }
  return true
}

function randomPrime (bits, rng, e) {
  for (;;) {
    const b = rng.bytes(bits / 8)
    b[0] |= 0xc0 // top two bits set, so p*q has exactly 2*bits bits
    b[b.length - 1] |= 1
    const p = bytesToBigint(b)
    if ((p - 1n) % e === 0n) continue
    if (isProbablePrime(p, rng)) return p
  }
}

function modinv (a, m) {
  let [oldR, r] = [a % m, m]
  let [oldS, s] = [1n, 0n]
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s]
  }
  if (oldR !== 1n) throw new Error('not invertible')
  return ((oldS % m) + m) % m
}

function deterministicRsaPkcs1Der (bits, label) {
  const rng = new Drbg(label)
  const e = 65537n
  let p = randomPrime(bits / 2, rng, e)
  let q
  do { q = randomPrime(bits / 2, rng, e) } while (q === p)
  if (p < q) [p, q] = [q, p]
  const n = p * q
  const phi = (p - 1n) * (q - 1n)
  const d = modinv(e, phi)
  const b64 = (x) => Buffer.from(bigintToBytes(x)).toString('base64url')
  const jwk = {
    kty: 'RSA', n: b64(n), e: b64(e), d: b64(d), p: b64(p), q: b64(q),
    dp: b64(d % (p - 1n)), dq: b64(d % (q - 1n)), qi: b64(modinv(q, p))
  }
  return new Uint8Array(createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs1', format: 'der' }))
}

// --- key records ----------------------------------------------------------------------------

async function keyRecord (kind, index, key, seedHex, extra = {}) {
  const rec = { kind, index }
  if (seedHex != null) rec.seed_hex = seedHex
  rec.private_key_protobuf_hex = hex(privateKeyToProtobuf(key))
  rec.public_key_protobuf_hex = hex(publicKeyToProtobuf(key.publicKey))
  rec.public_key_raw_hex = hex(key.publicKey.raw)
  try {
    const pid = peerIdFromPrivateKey(key)
    rec.peer_id = pid.toString()
    rec.peer_id_cid = pid.toCID().toString()
    rec.multihash_hex = hex(pid.toMultihash().bytes)
    // the PeerId must survive js's own string parser
    const back = peerIdFromString(rec.peer_id)
    if (back.toString() !== rec.peer_id) throw new Error(`PeerId ${rec.peer_id} does not round-trip`)
  } catch (e) {
    // js has no PeerId class for this key type (ECDSA): record the key's own multihash
    rec.peer_id_error = errInfo(e).error
    rec.key_multihash_b58 = key.publicKey.toString()
    rec.key_cid = key.publicKey.toCID().toString()
    rec.multihash_hex = hex(key.publicKey.toMultihash().bytes)
  }
  if (extra.sign !== false) {
    const msg = message(kind, index)
    rec.message_hex = hex(msg)
    rec.signature_hex = hex(await key.sign(msg))
    if (!(await key.publicKey.verify(msg, fromHex(rec.signature_hex)))) {
      throw new Error(`${kind} ${index}: js cannot verify its own signature`)
    }
  }
  // the marshalled private key must round-trip through js's parser
  const reparsed = privateKeyFromProtobuf(fromHex(rec.private_key_protobuf_hex))
  if (hex(privateKeyToProtobuf(reparsed)) !== rec.private_key_protobuf_hex) {
    throw new Error(`${kind} ${index}: private key protobuf does not round-trip`)
  }
  Object.assign(rec, extra.fields ?? {})
  return rec
}

async function generateKeys () {
  const records = []

  for (let i = 0; i < ED25519_COUNT; i++) {
    const seed = ed25519Seed(i)
    const key = await generateKeyPairFromSeed('Ed25519', seed)
    records.push(await keyRecord('ed25519', i, key, hex(seed)))
  }

  for (let i = 0; i < 8; i++) {
    const secret = sha256(utf8(`weft/secp256k1/${i}`))
    const key = privateKeyFromRaw(secret)
    records.push(await keyRecord('secp256k1', i, key, hex(secret), {
      fields: { note: 'private key data = raw 32-byte secret; signature = DER ECDSA over SHA-256(message), RFC 6979 nonce (@noble/curves)' }
    }))
  }

  const rsaSizes = [2048, 2048, 2048, 3072]
  for (let i = 0; i < rsaSizes.length; i++) {
    const der = deterministicRsaPkcs1Der(rsaSizes[i], `weft/rsa/${i}`)
    const key = privateKeyFromRaw(der)
    records.push(await keyRecord('rsa', i, key, null, {
      fields: {
        rsa_bits: rsaSizes[i],
        note: 'key derived deterministically by gen_vectors.mjs (Miller-Rabin over a SHA-256 stream); private data = PKCS#1 DER, public data = PKIX DER; signature = RSASSA-PKCS1-v1_5 SHA-256'
      }
    }))
  }

  for (let i = 0; i < 3; i++) {
    const d = sha256(utf8(`weft/ecdsa-p256/${i}`))
    const ecdh = createECDH('prime256v1')
    ecdh.setPrivateKey(d)
    const pub = ecdh.getPublicKey()
    const jwk = {
      kty: 'EC', crv: 'P-256', d: Buffer.from(d).toString('base64url'),
      x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33).toString('base64url')
    }
    const der = new Uint8Array(createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'sec1', format: 'der' }))
    const key = privateKeyFromRaw(der)
    records.push(await keyRecord('ecdsa-p256', i, key, hex(d), {
      sign: false, // js ECDSA signatures use a random nonce: not reproducible
      fields: {
        known_diff: 'js-only encoding: js puts a SEC1-like DER (no private scalar) in PublicKey.Data rather than PKIX, uses an identity multihash although the protobuf is > 42 bytes, and has no PeerId class for ECDSA keys. Do not treat as a cross-implementation reference.'
      }
    }))
  }
  return records
}

// ------------------------------------------------------------------------------------------
// PeerId / key-protobuf parsing vectors

function peerIdParseRecords (keys) {
  const out = []
  const tryPeerId = (input, note) => {
    const rec = { kind: 'peer_id_string', input }
    try {
      const p = peerIdFromString(input)
      rec.ok = true
      rec.type = p.type
      rec.peer_id = p.toString()
      rec.peer_id_cid = p.toCID().toString()
      rec.multihash_hex = hex(p.toMultihash().bytes)
    } catch (e) {
      rec.ok = false
      Object.assign(rec, errInfo(e))
    }
    if (note) rec.note = note
    out.push(rec)
  }
  const ed = keys.filter((k) => k.kind === 'ed25519')
  const secp = keys.find((k) => k.kind === 'secp256k1')
  const rsa = keys.find((k) => k.kind === 'rsa')
  for (const k of [ed[0], ed[1], ed[20], secp, rsa]) {
    tryPeerId(k.peer_id)
    tryPeerId(k.peer_id_cid)
    // base36 CIDv1 (k51... for ed25519)
    const cid = CID.parse(k.peer_id_cid)
    tryPeerId(cid.toString(mb.base36))
    tryPeerId(cid.toString(mb.base32).toUpperCase(), 'base32upper CID')
    tryPeerId(cid.toString(mb.base58btc), 'base58btc CIDv1 (z...)')
  }
  const id0 = ed[0].peer_id
  tryPeerId(id0.slice(0, -1), 'truncated')
  tryPeerId(id0 + '1', 'extra byte')
  tryPeerId(id0.replace('K', '0'), 'non-base58 character')
  tryPeerId('', 'empty')
  tryPeerId('1', 'base58 "1" = [0x00]')
  tryPeerId('Qm', 'too short')
  tryPeerId('QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC', 'sha2-256 multihash (RSA-style)')
  tryPeerId('QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N', 'spec example')
  tryPeerId('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', 'dag-pb CIDv1, not libp2p-key')
  tryPeerId('bafzbeigai3eoy2ccc7ybwjfz5r3rdxqrinwi4rwytly24tdbh6yk7zslrm', 'libp2p-key CIDv1 with sha2-256')
  // identity multihash whose digest is not a key protobuf
  tryPeerId(mb.base58btc.encode(Uint8Array.from([0x00, 0x03, 0x61, 0x62, 0x63])).slice(1), 'identity multihash of "abc"')
  // sha2-256 multihash with the wrong digest length
  tryPeerId(mb.base58btc.encode(Uint8Array.from([0x12, 0x04, 1, 2, 3, 4])).slice(1), 'sha2-256 with 4-byte digest')
  // sha2-512 multihash
  tryPeerId(mb.base58btc.encode(Uint8Array.from([0x13, 0x40, ...new Uint8Array(64).fill(7)])).slice(1), 'sha2-512 multihash')
  // Ed25519 key protobuf with a 31-byte key inside an identity multihash
  const shortKey = Uint8Array.from([0x08, 0x01, 0x12, 0x1f, ...new Uint8Array(31).fill(9)])
  tryPeerId(mb.base58btc.encode(Uint8Array.from([0x00, shortKey.length, ...shortKey])).slice(1), 'identity multihash of an Ed25519 PublicKey with 31-byte Data')

  // --- private / public key protobuf parsing
  const tryPriv = (h, note) => {
    const rec = { kind: 'private_key_protobuf', input_hex: h }
    try {
      const k = privateKeyFromProtobuf(fromHex(h))
      rec.ok = true
      rec.type = k.type
      rec.canonical_hex = hex(privateKeyToProtobuf(k))
      rec.public_key_protobuf_hex = hex(publicKeyToProtobuf(k.publicKey))
      try { rec.peer_id = peerIdFromPrivateKey(k).toString() } catch {}
    } catch (e) {
      rec.ok = false
      Object.assign(rec, errInfo(e))
    }
    if (note) rec.note = note
    out.push(rec)
  }
  const tryPub = (h, note) => {
    const rec = { kind: 'public_key_protobuf', input_hex: h }
    try {
      const k = publicKeyFromProtobuf(fromHex(h))
      rec.ok = true
      rec.type = k.type
      rec.canonical_hex = hex(publicKeyToProtobuf(k))
      rec.peer_id = k.toString()
    } catch (e) {
      rec.ok = false
      Object.assign(rec, errInfo(e))
    }
    if (note) rec.note = note
    out.push(rec)
  }
  const e0 = ed[1]
  const seed = e0.seed_hex
  const pub = e0.public_key_raw_hex
  // build PrivateKey{Type, Data} by hand so field order / tags can be varied
  const pb = (fields) => fields.join('')
  const lenHex = (h) => {
    const n = h.length / 2
    return n < 128 ? n.toString(16).padStart(2, '0') : ((n & 0x7f) | 0x80).toString(16).padStart(2, '0') + (n >> 7).toString(16).padStart(2, '0')
  }
  tryPriv(e0.private_key_protobuf_hex, 'canonical 64-byte Ed25519 private key')
  tryPriv(pb(['0801', '12', lenHex(seed + pub + pub), seed + pub + pub]), 'legacy 96-byte form seed||pub||pub')
  tryPriv(pb(['0801', '12', lenHex(seed + pub + ed[2].public_key_raw_hex), seed + pub + ed[2].public_key_raw_hex]), '96-byte form with mismatched public halves')
  tryPriv(pb(['0801', '12', lenHex(seed), seed]), '32-byte seed only')
  tryPriv(pb(['0801', '12', lenHex(seed + ed[2].public_key_raw_hex), seed + ed[2].public_key_raw_hex]), '64-byte form whose public half does not match the seed')
  tryPriv(pb(['12', lenHex(seed + pub), seed + pub, '0801']), 'fields in reverse order')
  tryPriv(pb(['12', lenHex(seed + pub), seed + pub]), 'Type field missing (defaults to RSA=0)')
  tryPriv(pb(['0801']), 'Data field missing')
  tryPriv(pb(['0805', '12', lenHex(seed + pub), seed + pub]), 'unknown key type 5')
  tryPriv(pb(['0801', '12', lenHex(seed + pub), seed + pub, '1a0100']), 'unknown extra field 3')
  tryPriv(pb(['0801', '12', lenHex(seed + pub), (seed + pub).slice(0, -2)]), 'truncated Data')
  tryPriv('', 'empty')
  tryPriv(pb(['0801', '0801', '12', lenHex(seed + pub), seed + pub]), 'Type field repeated')
  tryPriv(keys.find((k) => k.kind === 'secp256k1').private_key_protobuf_hex, 'secp256k1')
  tryPub(e0.public_key_protobuf_hex, 'canonical Ed25519 public key')
  tryPub(pb(['0801', '12', '1f', pub.slice(0, -2)]), '31-byte Ed25519 key')
  tryPub(pb(['0801', '12', '21', pub + '00']), '33-byte Ed25519 key')
  tryPub(pb(['12', '20', pub, '0801']), 'fields in reverse order')
  tryPub(pb(['0801', '12', '20', '00'.repeat(32)]), 'all-zero Ed25519 key (small order point)')
  tryPub(pb(['0801', '12', '20', '01' + '00'.repeat(31)]), 'Ed25519 identity point encoding')
  tryPub(pb(['0801', '12', '20', 'ff'.repeat(32)]), 'non-canonical / invalid Ed25519 encoding')
  tryPub(keys.find((k) => k.kind === 'secp256k1').public_key_protobuf_hex, 'secp256k1')
  tryPub(keys.find((k) => k.kind === 'rsa').public_key_protobuf_hex, 'RSA')
  return out
}

// ------------------------------------------------------------------------------------------
// Multiaddr: sample values

function identityPeerIdFromRaw (raw32) {
  const pbk = Uint8Array.from([0x08, 0x01, 0x12, 0x20, ...raw32])
  return Uint8Array.from([0x00, pbk.length, ...pbk])
}

function sha256Multihash (digest32) {
  return Uint8Array.from([0x12, 0x20, ...digest32])
}

const b58 = (bytes) => mb.base58btc.encode(bytes).slice(1)

function buildSamples (keys) {
  const ed = keys.filter((k) => k.kind === 'ed25519')
  const secp = keys.filter((k) => k.kind === 'secp256k1')
  const rsa = keys.filter((k) => k.kind === 'rsa')
  const certDigest = sha256(utf8('weft certhash sample'))
  const certMh = sha256Multihash(certDigest)
  const certMh512 = Uint8Array.from([0x13, 0x40, ...new Uint8Array(createHash('sha512').update('weft').digest())])
  return {
    ed,
    secp,
    rsa,
    peerEd: ed[0].peer_id,
    peerEdCid: ed[0].peer_id_cid,
    peerEd2: ed[1].peer_id,
    peerSecp: secp[0].peer_id,
    peerSecpCid: secp[0].peer_id_cid,
    peerRsa: rsa[0].peer_id,
    peerRsaCid: rsa[0].peer_id_cid,
    certMh,
    certMh512,
    onion: 'timaq4ygg2iegci7',
    onion3: 'vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd',
    garlic32: '566niximlxdzpanmn4qouucvua3k7neniwss47li5r6ugoertzuq',
    garlic64: 'jT~IyXaoauTni6N4517EG8mrFUKpy0IlgZh-EY9csMAk82Odatmzr~YTZy8Hv7u~wvkg75EFNOyqb~nAPg-khyp2TS~ObUz8WlqYAM2VlEzJ7wJB91P-cUlKF18zSzVoJFmsrcQHZCirSbWoOknS6iNmsGRh5KVZsBEfp1Dg3gwTipTRIx7Vl5Vy~1OSKQVjYiGZS9q8RL0MF~7xFiKxZDLbPxk0AK9TzGGqm~wMTI2HS0Gm4Ycy8LYPVmLvGonIBYndg2bJC7WLuF6tVjVquiokSVDKFwq70BCUU5AU-EvdOD5KEOAM7mPfw-gJUG4tm1TtvcobrObqoRnmhXPTBTN5H7qDD12AvlwFGnfAlBXjuP4xOUAISL5SRLiulrsMSiT4GcugSI80mF6sdB0zWRgL1yyvoVWeTBn1TqjO27alr95DGTluuSqrNAxgpQzCKEWAyzrQkBfo2avGAmmz2NaHaAvYbOg0QSJz1PLjv2jdPW~ofiQmrGWM1cd~1cCqAAAA',
    sni: 'example.com',
    dns: ['example.com', 'localhost', 'a.b.c.d.e.f.example', 'xn--r8jz45g.jp', 'EXAMPLE.COM', 'example.com.', 'sub-domain.test', '1.2.3.4', '_dnsaddr.bootstrap.libp2p.io'],
    ip6zones: ['eth0', 'en1', '1', 'lo0', 'Ethernet_2', 'wlan0.5']
  }
}

// ------------------------------------------------------------------------------------------
// Multiaddr: hand-written corpus. Each entry is a string or [string, note]. A note says how
// js differs from go-multiaddr / rust-multiaddr / the spec on that input (or just what the
// entry exercises); notes starting with "DIFF" are known cross-implementation differences.

const PORT_NOTES = {
  '080': 'DIFF: js rejects leading zeros in ports; go (strconv.ParseUint) and rust (u16::from_str) accept and encode 80',
  '0080': 'DIFF: js rejects leading zeros in ports; go and rust accept (80)',
  '00': 'DIFF: js rejects; go and rust accept (0)',
  '+80': 'DIFF: js and go reject; rust u16::from_str accepts a leading "+" (80)',
  NaN: 'DIFF: js port validation is parseInt(v).toString() === v, which "NaN" passes; it encodes as port 0. go/rust reject'
}

function onionNote (v) {
  const port = v.includes(':') ? v.slice(v.lastIndexOf(':') + 1) : null
  const js = 'js checks an onion port only when encoding, with parseInt() and the range 1..65536'
  if (port === '65536') return `DIFF: ${js}: 65536 is accepted and wraps to port 0; go/rust reject`
  if (port === 'abc' || port === '') return `DIFF: ${js}: a non-numeric port is accepted as port 0; go/rust reject`
  if (port === '80abc') return `DIFF: ${js}: "80abc" is accepted as 80; go/rust reject`
  if (port === '+80') return `DIFF: ${js}: "+80" is accepted as 80 (rust accepts too); go rejects`
  if (port === '080') return `${js}: "080" is accepted as 80; go and rust accept it too`
  if (/=/.test(v)) return 'DIFF: js base32-decodes the 16 characters including "=" padding into 9 bytes, producing a broken 11-byte value; go/rust reject'
  return undefined
}

function handCorpus (S) {
  const C = []
  const add = (s, note) => C.push(note ? [s, note] : s)
  const cert = (base) => base.encode(S.certMh)

  // --- basic valid forms, every protocol of the js registry
  add('/ip4/127.0.0.1')
  add('/ip4/0.0.0.0')
  add('/ip4/255.255.255.255')
  add('/ip4/1.2.3.4/tcp/0')
  add('/ip4/1.2.3.4/tcp/65535')
  add('/ip4/127.0.0.1/tcp/4001')
  add('/ip4/127.0.0.1/udp/1234')
  add('/ip4/127.0.0.1/dccp/1234')
  add('/ip4/127.0.0.1/sctp/1234')
  add('/ip4/127.0.0.1/udp/1234/udt')
  add('/ip4/127.0.0.1/udp/1234/utp')
  add('/ip4/127.0.0.1/udp/1234/quic')
  add('/ip4/127.0.0.1/udp/1234/quic-v1')
  add('/ip4/127.0.0.1/udp/1234/quic-v1/webtransport')
  add(`/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/${cert(mb.base64url)}`)
  add(`/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/${cert(mb.base64url)}/certhash/${mb.base64url.encode(S.certMh512)}/p2p/${S.peerEd}`)
  add(`/ip4/127.0.0.1/udp/1234/webrtc-direct/certhash/${cert(mb.base64url)}/p2p/${S.peerEd}`)
  add(`/ip4/127.0.0.1/tcp/4001/p2p/${S.peerEd}/p2p-circuit/webrtc/p2p/${S.peerEd2}`)
  add('/ip4/127.0.0.1/tcp/443/tls/http')
  add('/ip4/127.0.0.1/tcp/443/https')
  add('/ip4/127.0.0.1/tcp/80/http')
  add(`/ip4/127.0.0.1/tcp/443/tls/sni/${S.sni}/http`)
  add(`/ip4/127.0.0.1/tcp/443/tls/sni/${S.sni}/ws/p2p/${S.peerEd}`)
  add('/ip4/127.0.0.1/tcp/443/wss')
  add('/ip4/127.0.0.1/tcp/80/ws')
  add('/ip4/127.0.0.1/tcp/4001/noise')
  add('/ip4/127.0.0.1/tcp/4001/tls')
  add('/ip4/127.0.0.1/tcp/9090/ws/p2p-websocket-star')
  add('/ip4/127.0.0.1/tcp/9090/ws/p2p-webrtc-star')
  add('/ip4/127.0.0.1/tcp/9090/http/p2p-webrtc-direct')
  add('/ip4/127.0.0.1/tcp/9090/ws/p2p-stardust')
  add('/p2p-circuit')
  add(`/p2p-circuit/p2p/${S.peerEd}`)
  add(`/ip4/127.0.0.1/tcp/4001/p2p/${S.peerEd}/p2p-circuit`)
  add('/webrtc')
  add('/webrtc-direct')
  add('/tls')
  add('/noise')
  add('/quic')
  add('/http')
  add('/https')
  add('/ws')
  add('/wss')
  add('/udt')
  add('/utp')
  add('/webtransport')
  add('/p2p-websocket-star')
  add('/p2p-webrtc-star')
  add('/p2p-webrtc-direct')
  add('/p2p-stardust')
  add('/tls/noise/quic/quic-v1/http/https/ws/wss/webtransport/webrtc/webrtc-direct/p2p-circuit/udt/utp')
  for (const d of S.dns) {
    add(`/dns/${d}`)
    add(`/dns4/${d}/tcp/443`)
    add(`/dns6/${d}/udp/443/quic-v1`)
    add(`/dnsaddr/${d}`)
  }
  add(`/dnsaddr/bootstrap.libp2p.io/p2p/${S.peerRsa}`)
  add('/dns/例え.jp', 'non-ASCII domain: js stores the UTF-8 bytes as given (no IDNA/punycode)')
  add('/dns/a b', 'space in a dns value: js, go and rust all store it verbatim')
  add('/dns/%61', 'percent sign is literal in dns values (no decoding)')
  add('/sni/example.com')
  add('/sni/例え.jp')
  add('/ip6zone/eth0/ip6/fe80::1')
  add('/ip6zone/eth0/ip6/fe80::1/tcp/80')
  add('/ip6zone/1/ip6/fe80::1/udp/1/quic-v1')
  add('/ip6zone/x%20y/ip6/fe80::1', 'ip6zone values are not percent-decoded')
  add('/ip6/fe80::1/ip6zone/eth0', 'ip6zone after ip6: js does not check component order')
  add('/ip6zone/eth0', 'ip6zone alone: accepted by js (go/rust too: order is not validated)')
  add('/ip4/10.0.0.0/ipcidr/8')
  add('/ip4/10.0.0.0/ipcidr/0')
  add('/ip4/10.0.0.0/ipcidr/32')
  add('/ip6/2001:db8::/ipcidr/32', 'ip6 value "2001:db8::" then ipcidr')
  add('/ip6/2001:db8::/ipcidr/128')
  add('/ip6/2001:db8::/ipcidr/255', 'ipcidr 255 (the maximum one byte holds)')
  add('/ipcidr/256', 'DIFF: js base10-decodes ipcidr into 2 bytes (0x0100) written without a length prefix, producing an unparseable encoding; go/rust reject 256 (uint8 overflow)')
  add('/ipcidr/1000', 'DIFF: as /ipcidr/256')
  add('/ipcidr/024', 'DIFF: js base10 decoding keeps the leading zero as a 0x00 byte (2 bytes written); go ParseUint accepts 024 = 24; rust u8 parse accepts 024 = 24')
  add('/ipcidr/00', 'DIFF: js encodes 2 zero bytes')
  add('/ipcidr/-1', 'negative ipcidr')
  add('/ipcidr/x', 'non-decimal ipcidr')
  add('/ipcidr/+8', 'ipcidr with plus sign')
  add('/unix/tmp.sock', 'unix: js takes ONE segment, percent-decoded; binary is the decoded value')
  add('/unix/%2Ftmp%2Fp2p.sock', 'unix: js form of go\'s /unix/tmp/p2p.sock (same bytes "/tmp/p2p.sock")')
  add('/unix/tmp/p2p.sock', 'DIFF: go treats unix as a path protocol (consumes the rest: bytes "/tmp/p2p.sock"); js takes "tmp" and then fails on unknown protocol "p2p.sock"; rust takes "tmp" too')
  add('/unix/a%20b')
  add('/unix/%E4%BE%8B')
  add('/unix/%zz', 'malformed percent escape')
  add('/unix/%', 'malformed percent escape')
  add('/unix/%2F', 'unix path "/" (go rejects: must not end in "/")')
  add('/unix/%2Ftmp%2F', 'go rejects: unix path must not end in "/"')
  add('/unix/relative', 'go rejects: unix path must begin with "/" (binary); js accepts')
  add('/unix/~!*()\'', 'characters encodeURIComponent leaves alone')
  add('/unix/%7e%21', 'percent-escaped unreserved characters are decoded and printed raw')
  add(`/ip4/127.0.0.1/tcp/80/http/http-path/foo`)
  add('/http-path/foo%2Fbar', 'DIFF: js binary value is "/foo/bar" (leading slash added); go/rust binary is "foo/bar"')
  add('/http-path/api%2Fv0%2Flogin')
  add('/http-path/.well-known%2Flibp2p')
  add('/http-path/a%2520space', 'spec example: HTTP path a%20space')
  add('/http-path/a%252Fslash', 'spec example: HTTP path a%2Fslash')
  add('/http-path/a+b', 'go uses QueryUnescape ("+" -> space); js/rust keep "+"')
  add('/http-path/a%20b')
  add('/http-path/%zz', 'malformed percent escape')
  add('/http-path/%F0%9F%98%80')
  add(`/dns/example.com/tcp/443/tls/http/p2p/${S.peerEd}/http-path/.well-known%2Flibp2p`)
  add(`/p2p/${S.peerEd}/http-path/.well-known%2Flibp2p`)
  add('/memory/0', 'DIFF: js encodes memory as a length-prefixed UTF-8 string; go/rust encode a fixed 8-byte big-endian u64 (no length prefix)')
  add('/memory/1234')
  add('/memory/18446744073709551615')
  add('/memory/18446744073709551616', 'u64 overflow: go/rust reject; js accepts (string)')
  add('/memory/abc', 'non-numeric: go/rust reject; js accepts (string)')
  add('/memory/-1')
  add(`/onion/${S.onion}:1234`)
  add(`/onion/${S.onion}:80/http`)
  add(`/onion/${S.onion}:65535`)
  add(`/onion/${S.onion.toUpperCase()}:80`, 'upper-case onion: accepted by js, go, rust; printed lower-case from bytes')
  add(`/onion3/${S.onion3}:1234`)
  add(`/onion3/${S.onion3}:65535/tcp/80`)
  add(`/onion3/${S.onion3.toUpperCase()}:1`)
  add(`/garlic32/${S.garlic32}`, 'DIFF: js stores garlic32 as UTF-8 text; go/rust base32-decode it (32 bytes)')
  add(`/garlic64/${S.garlic64}`, 'DIFF: js stores garlic64 as UTF-8 text; go/rust i2p-base64-decode it (>= 386 bytes)')
  add('/garlic32/abc', 'DIFF: too short for go/rust; js accepts')
  add('/garlic64/abc', 'DIFF: too short for go/rust; js accepts')
  // p2p / ipfs
  add(`/p2p/${S.peerEd}`)
  add(`/ipfs/${S.peerEd}`, '/ipfs is an alias: printed as /p2p')
  add(`/p2p/${S.peerSecp}`)
  add(`/p2p/${S.peerRsa}`)
  add('/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC')
  add('/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC')
  add(`/p2p/${S.peerEdCid}`, 'CIDv1 libp2p-key form: js text echoes the CID; canonical (from bytes) is base58')
  add(`/p2p/${S.peerSecpCid}`)
  add(`/p2p/${S.peerRsaCid}`)
  add(`/p2p/${CID.parse(S.peerEdCid).toString(mb.base36)}`, 'base36 CIDv1 (k51...)')
  add(`/p2p/${S.peerEdCid.toUpperCase()}`, 'base32upper CID: js CID.parse does not take it')
  add(`/p2p/${CID.parse(S.peerEdCid).toString(mb.base58btc)}`, 'base58btc CIDv1 "z...": js CID.parse takes it')
  add('/p2p/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', 'DIFF: dag-pb CID (codec 0x70): go rejects (codec must be libp2p-key); js takes its multihash')
  add('/p2p/bafzbeigai3eoy2ccc7ybwjfz5r3rdxqrinwi4rwytly24tdbh6yk7zslrm')
  add('/p2p/1', 'DIFF: js only base58-decodes values starting with "1"/"Q" (no multihash check): [0x00] accepted; go/rust reject (not a multihash)')
  add('/p2p/Qm', 'DIFF: js accepts (base58 only); go/rust reject')
  add('/p2p/11111', 'DIFF: js accepts (5 zero bytes); go/rust reject')
  add(`/p2p/${S.peerEd.slice(0, -1)}`, 'DIFF: truncated PeerId: js accepts (no multihash validation); go/rust reject')
  add(`/p2p/${S.peerEd}x`, 'DIFF: extra base58 char: js accepts; go/rust reject')
  add('/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC0', '"0" is not in the base58 alphabet')
  add('/p2p/Ql', '"l" is not in the base58 alphabet')
  add('/p2p/abc', 'not base58 and not a CID')
  add('/p2p/zzz', 'bad CID')
  add('/p2p/12D3KooW', 'DIFF: js accepts (base58 only)')
  add(`/p2p/${b58(sha256Multihash(new Uint8Array(32)).subarray(0, 20))}`, 'DIFF: sha2-256 multihash with short digest')
  add(`/p2p/${b58(Uint8Array.from([0x13, 0x40, ...new Uint8Array(64)]))}`, 'DIFF: sha2-512 multihash: go rejects (only identity/sha2-256); js accepts')
  add(`/p2p/${S.peerEd}/p2p/${S.peerEd2}`, 'two p2p components')
  // certhash in many multibases (the same multihash)
  for (const name of ['base64url', 'base64urlpad', 'base58btc', 'base32', 'base32upper', 'base32pad', 'base32hex', 'base36', 'base36upper', 'base16', 'base16upper', 'base58flickr', 'base8', 'base10', 'base2', 'base256emoji', 'base32z', 'base32hexupper']) {
    if (mb[name]) add(`/ip4/1.2.3.4/udp/1/quic-v1/webtransport/certhash/${cert(mb[name])}`, `certhash in ${name}; canonical (from bytes) is base64url "u..."`)
  }
  add(`/certhash/${mb.base64.encode(S.certMh)}`, 'certhash in base64 (may contain "/")')
  add(`/certhash/${mb.base64url.encode(S.certMh512)}`)
  add(`/certhash/${mb.base64url.encode(S.certMh).slice(1)}`, 'missing multibase prefix')
  add('/certhash/u', 'DIFF: empty certhash: js encodes a zero-length value, which its own bytes parser then misreads; go/rust reject (not a multihash)')
  add('/certhash/uAA', 'DIFF: certhash [0x00] (not a valid multihash): js accepts; go/rust reject')
  add(`/certhash/${mb.base64url.encode(utf8('not a multihash'))}`, 'DIFF: js accepts any bytes; go/rust require a multihash')
  add('/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8', 'truncated sha256 digest')
  add('/certhash/x123', 'unknown multibase prefix')
  add('/certhash/f12', 'odd-length base16')
  // ip6 text forms
  for (const v of [
    '::', '::1', '1::', '::1:0', '0:0:0:0:0:0:0:0', '0:0:0:0:0:0:0:1', '0000:0000:0000:0000:0000:0000:0000:0001',
    '2001:db8::1', '2001:DB8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0:1:0:0:1', '2001:0:0:1:0:0:0:1',
    '2001:db8::1:0:0:1', '2001:db8:0:1:1:1:1:1', '2001:db8::0:1', 'fe80::1', 'FE80::ABCD:ef01', 'ff02::1', 'ff02::2:1',
    '1:2:3:4:5:6:7:8', '1:0:1:0:1:0:1:0', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1::8', '1:0::8', '0:1::',
    '::ffff:1.2.3.4', '::ffff:0102:0304', '::ffff:127.0.0.1', '::ffff:0.0.0.0', '::1.2.3.4', '::0.0.0.1', '64:ff9b::192.0.2.33',
    '2001:db8:122:344::192.0.2.33', '::ffff:0:1.2.3.4', '1:2:3:4:5:6:1.2.3.4', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:db8:85a3::8a2e:370:7334', '0:0:0:0:0:ffff:1.2.3.4', '::FFFF:1.2.3.4', '2001:db8:0:0:0:0:2:1', '2001:db8::2:1',
    '2001:db8:0:1:1:1:1:1', '2001:0:0:1::1', '2001:db8:0000:1:1:1:1:1', '0001:0002:0003:0004:0005:0006:0007:0008'
  ]) add(`/ip6/${v}`)
  add('/ip6/::ffff:1.2.3.4/tcp/80', 'DIFF: js prints IPv4-mapped as ::ffff:102:304 (WHATWG URL serializer); go and rust print ::ffff:1.2.3.4')
  add('/ip6/1.2.3.4', 'DIFF: go net.ParseIP accepts a dotted IPv4 for /ip6 (-> ::ffff:1.2.3.4); js/rust reject')
  add('/ip4/::ffff:1.2.3.4', 'DIFF: go accepts an IPv4-mapped IPv6 for /ip4 (To4); js/rust reject')
  add('/ip4/::1')
  for (const v of [
    '', ':', ':::', '::1::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', '00001::1', 'g::1', '1:2:3:4:5:6:7:8::',
    '::1%eth0', 'fe80::1%25eth0', '[::1]', '::ffff:01.2.3.4', '::ffff:1.2.3', '::ffff:256.1.1.1', '::1.2.3.4:5', '1.2.3.4::',
    ' ::1', '::1 ', '::-1', '::1/64', '-::1', '::1]@[::2', '::1]:80', '::1]#', '1::2::3', '::ffff:1.2.3.4.5', 'fe80::1%',
    '2001:db8::1:', ':2001:db8::1', '::0x1', '0::0::0'
  ]) add(`/ip6/${v}`, v === '::1]@[::2' ? 'DIFF: js normalises ip6 values with the WHATWG URL parser: "[::1]@[::2]" parses as userinfo + host ::2 and is ACCEPTED as ::2; go/rust reject' : undefined)
  // ip4 edge cases
  for (const v of ['1.2.3.4', '01.2.3.4', '1.02.3.4', '1.2.3.04', '001.2.3.4', '0.0.0.00', '1.2.3', '1.2.3.4.5', '999.1.1.1',
    '256.0.0.0', '1.2.3.256', '1.2.3.-1', '-1.2.3.4', '+1.2.3.4', '1.2.3.4 ', ' 1.2.3.4', '1..3.4', '1.2.3.', '.1.2.3',
    '0x7f.0.0.1', '127.1', '2130706433', 'a.b.c.d', '1.2.3.4a', '١.٢.٣.٤', '0.0.0.0', '10.0.0.1', '192.168.1.1', '1.2.3.4e0', '']) {
    add(`/ip4/${v}`)
  }
  add('/ip4/1.2.3.4/tcp/1', 'ok')
  // ports
  for (const v of ['0', '1', '80', '080', '0080', '00', '+80', '-1', '-0', '65535', '65536', '70000', '99999999999', '1e3', '0x50',
    '80 ', ' 80', '8 0', '80a', 'a80', '', '１２３', '4294967376', '80.0', '80.5', 'NaN', 'Infinity']) {
    add(`/ip4/1.2.3.4/tcp/${v}`, PORT_NOTES[v])
  }
  for (const p of ['udp', 'dccp', 'sctp']) {
    add(`/ip4/1.2.3.4/${p}/0`)
    add(`/ip4/1.2.3.4/${p}/65535`)
    add(`/ip4/1.2.3.4/${p}/65536`)
    add(`/ip4/1.2.3.4/${p}/080`, PORT_NOTES['080'])
    add(`/ip4/1.2.3.4/${p}/+80`, PORT_NOTES['+80'])
    add(`/ip4/1.2.3.4/${p}/-1`)
  }
  // onion / onion3
  for (const v of [
    `${S.onion}:0`, `${S.onion}:65536`, `${S.onion}:70000`, `${S.onion}:-1`, `${S.onion}:abc`, `${S.onion}:80abc`,
    `${S.onion}:080`, `${S.onion}:+80`, `${S.onion}:`, `${S.onion}`, `${S.onion}:80:80`, `${S.onion.slice(0, 15)}:80`,
    `${S.onion}a:80`, `${S.onion.slice(0, 15)}1:80`, `${S.onion.slice(0, 15)}=:80`, `${S.onion}.onion:80`, `:80`
  ]) add(`/onion/${v}`, onionNote(v))
  for (const v of [
    `${S.onion3}:0`, `${S.onion3}:65536`, `${S.onion3}:abc`, `${S.onion3}:080`, `${S.onion3}`, `${S.onion3.slice(0, 55)}:80`,
    `${S.onion3}a:80`, `${S.onion3.slice(0, 55)}1:80`, `${S.onion}:80`
  ]) add(`/onion3/${v}`, onionNote(v))
  // structure / separators
  add('/', 'DIFF: js accepts the empty multiaddr (bytes ""); go rejects ("empty multiaddr"); rust rejects "/" as text (empty protocol name)')
  add('', 'DIFF: js treats "" as "/"; go/rust reject (must begin with "/")')
  add('/ip4/1.2.3.4/', 'trailing "/": js and go strip it; rust rejects (empty protocol name)')
  add('/ip4/1.2.3.4//tcp/80', 'DIFF: js collapses only the FIRST run of "//" (String.replace without /g) and strips trailing "/"; go rejects empty components (but also strips trailing "/")')
  add('/ip4//1.2.3.4', 'DIFF: as above: the first "//" run is collapsed')
  add('/ip4/1.2.3.4/tcp/NaN', 'DIFF: js port validation is parseInt(v).toString() === v, which "NaN" passes; it encodes as port 0. go/rust reject')
  add('/ip6/::1]#', 'DIFF: WHATWG URL parser quirk: accepted as ::1')
  for (const s of [
    '/', '', '//', '///', 'ip4/1.2.3.4', ' /ip4/1.2.3.4', '/ip4/1.2.3.4/', '/ip4/1.2.3.4//', '/ip4/1.2.3.4/tcp/80/',
    '//ip4/1.2.3.4', '/ip4//1.2.3.4', '/ip4/1.2.3.4//tcp/80', '/ip4/1.2.3.4//tcp//80', '/ip4/1.2.3.4///tcp/80',
    '/ip4', '/ip4/', '/tcp', '/tcp/', '/ip4/1.2.3.4/tcp', '/ip4/1.2.3.4/tcp/', '/p2p', '/p2p/', '/dns', '/dns/', '/dns4//',
    '/unix', '/unix/', '/certhash', '/http-path', '/http-path/', '/memory', '/onion', '/sni', '/ip6zone', '/ipcidr',
    '/tls/1', '/quic/1', '/http/80', '/p2p-circuit/1', '/ip4/1.2.3.4/1.2.3.4', '/ip4/1.2.3.4/tcp/80/90',
    '/foo', '/foo/bar', '/IP4/1.2.3.4', '/Ip4/1.2.3.4', '/ip4 /1.2.3.4', '/ip4/1.2.3.4/TCP/80', '/tcp/80/ip4/1.2.3.4',
    '/ip4/1.2.3.4/tcp/80/udp/80', '/ip4/1.2.3.4/ip4/5.6.7.8', '/ipfs', '/p2p-circuit/p2p-circuit', '/tls/tls',
    '/plaintextv2', '/thread/1', '/x-parity-ws/%2F', '/x-parity-wss/%2F', '/scion/1', '/shs', '/silverpine', '/webrtc-star',
    '/libp2p-webrtc-star', '/libp2p-webrtc-direct', '/libp2p-websocket-star', '/websocket', '/quic-v2', '/webtransport-v1',
    '/dnsaddr', '/garlic32', '/garlic64', '/onion3', '/ip6', '/ip6/', '/udp', '/sctp', '/dccp', '/udt/1', '/utp/1',
    '/\u0000', '/ip4/1.2.3.4\u0000', '/ip4/1.2.3.4/tcp/80\n', '/ip4/1.2.3.4\t/tcp/80', '\\ip4\\1.2.3.4', '/ip4/1.2.3.4?x=1',
    '/ip4/1.2.3.4#frag', '/dns4/example.com/tcp/443/wss/p2p-websocket-star'
  ]) add(s)
  return C
}

// ------------------------------------------------------------------------------------------
// Multiaddr: random valid corpus (spec-conformant values, varied text forms)

function randomIp4 (r) {
  if (r.chance(0.1)) return r.pick(['0.0.0.0', '127.0.0.1', '255.255.255.255', '10.0.0.1', '192.168.0.1'])
  return [0, 1, 2, 3].map(() => r.int(0, 255)).join('.')
}

function randomIp6Groups (r) {
  const g = []
  const style = r.int(0, 5)
  for (let i = 0; i < 8; i++) {
    if (style === 0) g.push(r.int(0, 0xffff))
    else if (style === 1) g.push(r.chance(0.5) ? 0 : r.int(0, 0xffff))
    else if (style === 2) g.push(r.chance(0.5) ? 0 : r.int(0, 0xff))
    else g.push(0)
  }
  if (style >= 3) {
    // a few non-zero groups around one or two zero runs
    const nz = r.int(1, 4)
    for (let k = 0; k < nz; k++) g[r.int(0, 7)] = r.chance(0.3) ? r.int(1, 9) : r.int(0, 0xffff)
  }
  if (r.chance(0.08)) { g.fill(0); g[5] = 0xffff; g[6] = r.int(0, 0xffff); g[7] = r.int(0, 0xffff) } // IPv4-mapped
  if (r.chance(0.04)) { g.fill(0); g[0] = 0x64; g[1] = 0xff9b; g[6] = r.int(0, 0xffff); g[7] = r.int(0, 0xffff) } // NAT64
  if (r.chance(0.04)) { g[0] = 0xfe80; g[1] = g[2] = g[3] = 0 }
  return g
}

function ip6Text (g, r) {
  const upper = r.chance(0.15)
  const style = r.int(0, 5)
  let parts = g.map((x) => x.toString(16))
  if (style === 1) parts = g.map((x) => x.toString(16).padStart(4, '0')) // fully expanded
  if (style === 2) parts = g.map((x) => x.toString(16).padStart(r.int(1, 4), '0')) // random leading zeros
  let text
  const v4tail = r.chance(0.2)
  if (v4tail) {
    const v4 = `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`
    parts = parts.slice(0, 6).concat([v4])
  }
  if (style === 1 || style === 3 || parts.length < 2) {
    text = parts.join(':')
  } else {
    // compress a zero run: the longest (RFC 5952) or, with style 4, any run of length >= 1
    const n = parts.length
    const isZero = (i) => (v4tail && i === 6) ? false : g[i] === 0
    const runs = []
    for (let i = 0; i < n;) {
      if (isZero(i)) {
        let j = i
        while (j < n && isZero(j)) j++
        runs.push([i, j])
        i = j
      } else i++
    }
    let run = null
    if (runs.length) {
      if (style === 4) run = r.pick(runs)
      else run = runs.reduce((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a))
    }
    if (run) {
      text = parts.slice(0, run[0]).join(':') + '::' + parts.slice(run[1]).join(':')
    } else text = parts.join(':')
  }
  return upper ? text.toUpperCase() : text
}

function randomLabel (r, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') {
  const len = r.int(1, 12)
  let s = ''
  for (let i = 0; i < len; i++) {
    if (i > 0 && i < len - 1 && r.chance(0.08)) s += '-'
    else s += alphabet[r.int(0, alphabet.length - 1)]
  }
  return s
}

function randomDomain (r) {
  const n = r.int(1, 4)
  const labels = []
  for (let i = 0; i < n; i++) labels.push(randomLabel(r))
  if (n > 1 || r.chance(0.5)) labels.push(r.pick(['com', 'org', 'io', 'net', 'test', 'example', 'local']))
  let d = labels.join('.')
  if (r.chance(0.05)) d = d.toUpperCase()
  if (r.chance(0.03)) d += '.'
  return d
}

function randomPort (r) {
  if (r.chance(0.1)) return r.pick([0, 1, 80, 443, 4001, 8080, 65535, 65534, 1024, 255, 256])
  return r.int(0, 65535)
}

function randomPathSegment (r, printableOnly) {
  const pool = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&\'()*+,;=:@ %/?#[]'
  const len = r.int(1, 16)
  let raw = ''
  for (let i = 0; i < len; i++) raw += pool[r.int(0, pool.length - 1)]
  if (!printableOnly && r.chance(0.1)) raw += r.pick(['é', '例', '😀', 'ü'])
  // text form: encodeURIComponent, sometimes with extra (unnecessary) escapes or lower-case hex
  let text = encodeURIComponent(raw)
  if (r.chance(0.2)) text = text.replace(/[a-z]/g, (c) => (r.chance(0.2) ? '%' + c.charCodeAt(0).toString(16).toUpperCase() : c))
  if (r.chance(0.2)) text = text.replace(/%[0-9A-F]{2}/g, (m) => (r.chance(0.5) ? m.toLowerCase() : m))
  return text
}

function randomPeer (r, S) {
  const k = r.int(0, 9)
  if (k <= 3) return b58(identityPeerIdFromRaw(r.bytes(32)))
  if (k === 4) return S.ed[r.int(0, S.ed.length - 1)].peer_id
  if (k === 5) return b58(sha256Multihash(r.bytes(32)))
  if (k === 6) return CID.createV1(0x72, Digest.decode(identityPeerIdFromRaw(r.bytes(32)))).toString()
  if (k === 7) return CID.createV1(0x72, Digest.decode(sha256Multihash(r.bytes(32)))).toString(r.chance(0.5) ? mb.base36 : mb.base32)
  if (k === 8) return S.secp[r.int(0, S.secp.length - 1)].peer_id
  return S.rsa[r.int(0, S.rsa.length - 1)].peer_id
}

function randomCerthash (r) {
  const mh = r.chance(0.85) ? sha256Multihash(r.bytes(32)) : Uint8Array.from([0x13, 0x40, ...r.bytes(64)])
  const base = r.pick(['base64url', 'base64url', 'base64url', 'base58btc', 'base32', 'base32upper', 'base16', 'base16upper', 'base36', 'base64urlpad'])
  return mb[base].encode(mh)
}

function randomBase32 (r, nBytes) {
  return mb.base32.encode(r.bytes(nBytes)).slice(1)
}

function randomAddr (r, S) {
  const parts = []
  const host = r.int(0, 19)
  let transportOk = true
  if (host <= 5) parts.push(`/ip4/${randomIp4(r)}`)
  else if (host <= 10) {
    if (r.chance(0.1)) parts.push(`/ip6zone/${r.pick(S.ip6zones)}`)
    parts.push(`/ip6/${ip6Text(randomIp6Groups(r), r)}`)
  } else if (host <= 14) parts.push(`/${r.pick(['dns', 'dns4', 'dns6', 'dnsaddr'])}/${randomDomain(r)}`)
  else if (host === 15) {
    const cidrBase = r.chance(0.5) ? `/ip4/${randomIp4(r)}/ipcidr/${r.int(0, 32)}` : `/ip6/${ip6Text(randomIp6Groups(r), r)}/ipcidr/${r.int(0, 128)}`
    parts.push(cidrBase)
    transportOk = false
  } else if (host === 16) {
    const t = r.int(0, 3)
    if (t === 0) parts.push(`/onion/${randomBase32(r, 10)}:${r.int(1, 65535)}`)
    else if (t === 1) parts.push(`/onion3/${randomBase32(r, 35)}:${r.int(1, 65535)}`)
    else if (t === 2) parts.push(`/garlic32/${randomBase32(r, 32)}`)
    else parts.push(`/memory/${r.chance(0.5) ? r.int(0, 1000) : BigInt('0x' + hex(r.bytes(8))).toString()}`)
    transportOk = false
  } else if (host === 17) {
    parts.push(`/unix/${randomPathSegment(r, false)}`)
    transportOk = false
  } else if (host === 18) {
    parts.push(`/p2p/${randomPeer(r, S)}`)
    parts.push('/p2p-circuit')
    if (r.chance(0.7)) parts.push(`/p2p/${randomPeer(r, S)}`)
    transportOk = false
  } else {
    transportOk = false
  }

  if (transportOk) {
    const t = r.int(0, 9)
    if (t <= 3) {
      parts.push(`/tcp/${randomPort(r)}`)
      const sec = r.int(0, 8)
      if (sec === 0) parts.push('/tls')
      if (sec === 1) parts.push(`/tls/sni/${randomDomain(r)}`)
      if (sec === 2) parts.push('/noise')
      const app = r.int(0, 9)
      if (app === 0) parts.push('/ws')
      if (app === 1) parts.push('/wss')
      if (app === 2) parts.push('/http')
      if (app === 3) parts.push('/https')
      if (app === 4) parts.push(r.pick(['/ws/p2p-websocket-star', '/ws/p2p-webrtc-star', '/http/p2p-webrtc-direct', '/ws/p2p-stardust']))
    } else if (t <= 7) {
      parts.push(`/udp/${randomPort(r)}`)
      const q = r.int(0, 9)
      if (q <= 4) {
        parts.push('/quic-v1')
        if (r.chance(0.4)) {
          parts.push('/webtransport')
          const n = r.int(0, 2)
          for (let i = 0; i < n; i++) parts.push(`/certhash/${randomCerthash(r)}`)
        }
      } else if (q === 5) parts.push('/quic')
      else if (q === 6) {
        parts.push('/webrtc-direct')
        if (r.chance(0.7)) parts.push(`/certhash/${randomCerthash(r)}`)
      } else if (q === 7) parts.push(r.pick(['/udt', '/utp']))
    } else if (t === 8) parts.push(`/sctp/${randomPort(r)}`)
    else parts.push(`/dccp/${randomPort(r)}`)
  }

  const tail = r.int(0, 9)
  if (tail <= 4) parts.push(`/${r.chance(0.1) ? 'ipfs' : 'p2p'}/${randomPeer(r, S)}`)
  if (tail === 5) parts.push(`/p2p/${randomPeer(r, S)}/p2p-circuit/p2p/${randomPeer(r, S)}`)
  if (tail === 6) parts.push(`/p2p/${randomPeer(r, S)}/p2p-circuit/webrtc`)
  if (tail === 7 && r.chance(0.5)) parts.push(`/http-path/${randomPathSegment(r, true)}`)
  if (parts.length === 0) parts.push(`/p2p/${randomPeer(r, S)}`)
  return parts.join('')
}

// ------------------------------------------------------------------------------------------
// Multiaddr evaluation

/** Protocols whose js binary or text form differs from go-multiaddr / rust-multiaddr. */
const PROTOCOL_DIFFS = {
  'http-path': 'http-path: js binary value keeps a leading "/" (go/rust do not); go escapes with QueryEscape, rust with a path-segment set',
  memory: 'memory: js encodes a length-prefixed UTF-8 string; go/rust a fixed 8-byte big-endian u64',
  garlic64: 'garlic64: js stores the UTF-8 text; go/rust store the i2p-base64-decoded bytes',
  garlic32: 'garlic32: js stores the UTF-8 text; go/rust store the base32-decoded bytes',
  unix: 'unix: js text is one percent-encoded segment (encodeURIComponent); go prints the raw path spread over segments; rust prints one raw segment'
}

function tryBytesToText (bytes) {
  try {
    const m = multiaddr(bytes)
    return { ok: true, text: m.toString(), components: m.getComponents() }
  } catch (e) {
    return { ok: false, ...errInfo(e) }
  }
}

function isIpv4Mapped (b) {
  return b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff
}

function evaluateText (input, note) {
  const rec = { input }
  let m
  try {
    m = multiaddr(input)
  } catch (e) {
    Object.assign(rec, { ok: false, stage: 'parse' }, errInfo(e))
    if (note) rec.note = note
    return rec
  }
  let bytes
  let text
  try {
    text = m.toString()
    bytes = m.bytes
  } catch (e) {
    // js constructs the object lazily: some values are only checked when encoded
    Object.assign(rec, { ok: false, stage: 'encode' }, errInfo(e))
    if (note) rec.note = note
    return rec
  }
  rec.ok = true
  rec.text = text
  rec.hex = hex(bytes)
  const back = tryBytesToText(Uint8Array.from(bytes))
  if (back.ok) {
    rec.canonical = back.text
    let again = null
    try { again = hex(multiaddr(back.text).bytes) } catch (e) { again = null }
    rec.roundtrip = again === rec.hex
  } else {
    rec.canonical_error = back.error
    rec.roundtrip = false
  }
  const diffs = []
  const comps = m.getComponents()
  for (const c of comps) {
    if (PROTOCOL_DIFFS[c.name] && !diffs.includes(PROTOCOL_DIFFS[c.name])) diffs.push(PROTOCOL_DIFFS[c.name])
  }
  if (back.ok) {
    for (const c of back.components) {
      if (c.code === 41 && c.bytes && isIpv4Mapped(c.bytes.subarray(c.bytes.length - 16))) {
        diffs.push('ip6: js prints IPv4-mapped addresses as ::ffff:XXXX:XXXX; go/rust print ::ffff:a.b.c.d')
        break
      }
    }
  }
  if (!rec.roundtrip) diffs.push('js does not round-trip its own encoding (bytes -> text -> bytes)')
  if (diffs.length) rec.known_diff = diffs.join('; ')
  if (note) rec.note = note
  return rec
}

// --- binary framing check, independent of js (used only to annotate bytes vectors) ---------

const FIXED_BITS = new Map([[4, 32], [6, 16], [273, 16], [33, 16], [41, 128], [43, 8], [132, 16], [444, 96], [445, 296]])
const VAR = new Set([42, 53, 54, 55, 56, 400, 421, 446, 447, 449, 466, 481, 777])
const NONE = new Set([301, 302, 448, 454, 460, 461, 465, 480, 443, 477, 478, 479, 277, 275, 276, 280, 281, 290])

function readUvarint (b, i) {
  let v = 0
  let shift = 0
  for (let n = 0; n < 9; n++) {
    if (i + n >= b.length) return null
    const x = b[i + n]
    v += (x & 0x7f) * 2 ** shift
    if (x < 0x80) {
      if (n > 0 && x === 0) return null // not minimal
      return [v, n + 1]
    }
    shift += 7
  }
  return null
}

/** Strict framing per the spec table (js's code/size table): every code known, varints
 *  minimal, lengths within the buffer, variable values non-empty. Value contents unchecked. */
function framingOk (b) {
  if (b.length === 0) return false
  let i = 0
  while (i < b.length) {
    const c = readUvarint(b, i)
    if (!c) return false
    i += c[1]
    const code = c[0]
    if (NONE.has(code)) continue
    if (FIXED_BITS.has(code)) {
      i += FIXED_BITS.get(code) / 8
      if (i > b.length) return false
      continue
    }
    if (!VAR.has(code)) return false
    const l = readUvarint(b, i)
    if (!l || l[0] === 0) return false
    i += l[1] + l[0]
    if (i > b.length) return false
  }
  return true
}

function evaluateBytes (h, note) {
  const rec = { hex: h }
  const bytes = fromHex(h)
  const r = tryBytesToText(bytes)
  if (r.ok) {
    rec.ok = true
    rec.text = r.text
    let again = null
    let againErr = null
    try { again = hex(multiaddr(r.text).bytes) } catch (e) { againErr = errInfo(e).error }
    rec.text_roundtrip = again === h
    if (!rec.text_roundtrip) {
      if (again != null) rec.reencoded_hex = again
      else rec.reencode_error = againErr
    }
  } else {
    rec.ok = false
    rec.error = r.error
    rec.error_type = r.error_type
  }
  rec.framing_ok = framingOk(bytes)
  if (note) rec.note = note
  return rec
}

function handBytes (S) {
  const out = []
  const add = (h, note) => out.push([h, note])
  const vh = (code) => {
    const b = []
    let v = code
    while (v >= 0x80) { b.push((v & 0x7f) | 0x80); v = Math.floor(v / 128) }
    b.push(v)
    return hex(Uint8Array.from(b))
  }
  const lp = (h) => vh(h.length / 2) + h
  const u8 = (s) => hex(utf8(s))
  add('', 'DIFF: empty multiaddr: js accepts ("/"); go rejects ("empty multiaddr"); rust accepts')
  add('047f000001')
  add('047f0000010601bb')
  add('047f000001060000')
  add('047f00000106ffff')
  add('04', 'ip4 with no value bytes')
  add('047f', 'ip4 truncated')
  add('047f0000', 'ip4 truncated by one byte')
  add('06', 'tcp with no value bytes')
  add('0601', 'tcp truncated: js throws RangeError from its DataView read')
  add('0601bb04', 'tcp then a truncated ip4')
  add('8400010203', 'DIFF: non-minimal varint code (0x84 0x00 = 4): js decodes 4 but advances only 1 byte, so it reads "00 01 02 03" as the ip4 value; go rejects non-minimal varints')
  add('84007f000001', 'non-minimal code varint followed by a full ip4')
  add('c08300', 'non-minimal varint for tls (448)')
  add('80', 'truncated varint')
  add('ff', 'truncated varint')
  add('ffffffffffffffffff01', 'varint overflow')
  add('00', 'code 0 is not a protocol')
  add('01', 'unknown code 1')
  add('7f', 'unknown code 127')
  add('e203', 'unknown code 482')
  add(vh(7367777), 'DIFF: plaintextv2 (0x706c61): go knows it; js does not')
  add(vh(406), 'thread (406): not in js')
  add('3500', 'DIFF: dns with a zero length: js treats the 0x00 length as the end of the component and then reads 0x00 as a code ("Protocol 0 was unknown"); go rejects empty dns')
  add('35', 'dns with no length')
  add('3505616263', 'DIFF: dns length 5 but only 3 bytes: js ACCEPTS the truncated value "abc"; go/rust reject')
  add('350361626364', 'dns then a stray byte (0x64 = code 100, unknown)')
  add('3503612f62', 'DIFF: dns value containing "/": js accepts and prints /dns/a/b (which does not parse back the same); go rejects')
  add('3502c328', 'dns value that is not UTF-8: js decodes with U+FFFD; rust rejects')
  add('35' + lp(u8('example.com')))
  add('36' + lp(u8('example.com')) + '0601bb')
  add('37' + lp(u8('example.com')) + vh(273) + '01bb' + vh(461))
  add('38' + lp(u8('bootstrap.libp2p.io')))
  add('2a' + lp(u8('eth0')) + '29fe800000000000000000000000000001')
  add('2a00', 'DIFF: empty ip6zone: js misparses (Protocol 0); go rejects')
  add('2a' + lp(u8('a/b')), 'ip6zone containing "/": go rejects; js accepts')
  add('2900000000000000000000ffff01020304', 'IPv4-mapped ip6: js prints ::ffff:102:304, go/rust ::ffff:1.2.3.4')
  add('2900000000000000000000000001020304', 'IPv4-compatible ip6')
  add('2920010db8000000000000000000000001')
  add('2b18', 'ipcidr 24')
  add('2b00', 'ipcidr 0')
  add('2bff', 'ipcidr 255')
  add('2b', 'DIFF: ipcidr with no value byte: js ACCEPTS and prints "/ipcidr/" (empty base10)')
  add('04c0a80000' + '2b10', 'ip4 + ipcidr 16')
  add('9003' + lp(u8('/tmp/p2p.sock')), 'unix "/tmp/p2p.sock": js prints /unix/%2Ftmp%2Fp2p.sock; go prints /unix/tmp/p2p.sock')
  add('9003' + lp(u8('relative')), 'unix without leading "/": go rejects; js accepts')
  add('9003' + lp(u8('/tmp/')), 'unix ending with "/": go rejects; js accepts')
  add('9003' + lp(u8('/tmp/x.sock')) + '0601bb', 'component after unix: go rejects (path protocol must be last); js accepts')
  add('e103' + lp(u8('foo/bar')), 'DIFF: go/rust encoding of /http-path/foo%2Fbar; js drops the first byte when printing ("/http-path/oo%2Fbar")')
  add('e103' + lp(u8('/foo/bar')), 'js encoding of /http-path/foo%2Fbar')
  add('e103' + lp(u8('a b+c')))
  add('e10300', 'DIFF: empty http-path: js misparses; go rejects')
  add('8906' + '00000000000004d2', 'DIFF: go/rust encoding of /memory/1234 (8-byte u64, no length prefix): js reads 0x00 as a zero length then fails')
  add('8906' + lp(u8('1234')), 'js encoding of /memory/1234')
  add('a503' + lp(hex(fromHex('0024080112203b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29'))), 'p2p with an identity multihash (Ed25519)')
  add('a503' + lp('1220' + '00'.repeat(32)), 'p2p with a sha2-256 multihash')
  add('a503' + lp('00'), 'DIFF: p2p value [0x00]: js accepts ("/p2p/1"); go rejects (not a multihash)')
  add('a503' + lp('1204deadbeef'), 'DIFF: sha2-256 with 4-byte digest: js accepts; go rejects')
  add('a503' + lp('1340' + '00'.repeat(64)), 'DIFF: sha2-512 multihash: js accepts; go rejects')
  add('a50300', 'DIFF: empty p2p value: js misparses (Protocol 0); go rejects')
  add('a503' + lp('0024080112203b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29').slice(0, -2), 'p2p value truncated by one byte: js accepts')
  const onionHex = hex(mb.base32.baseDecode(S.onion))
  add(vh(444) + onionHex + '04d2', 'onion timaq4ygg2iegci7:1234 (binary)')
  add(vh(444) + onionHex + '0000', 'DIFF: onion port 0: js accepts from bytes (":0"); go rejects')
  add(vh(444) + onionHex, 'onion truncated (no port)')
  add('bd03' + hex(mb.base32.baseDecode(S.onion3)) + '04d2', 'onion3 :1234')
  add('bd03' + hex(mb.base32.baseDecode(S.onion3)) + '0000', 'DIFF: onion3 port 0: js accepts from bytes; go rejects')
  add(vh(447) + lp(hex(mb.base32.baseDecode(S.garlic32))), 'DIFF: go/rust encoding of a garlic32 address (32 raw bytes): js prints them as (lossy) UTF-8 text')
  add(vh(447) + lp(u8(S.garlic32)), 'js encoding of /garlic32/<52 chars>')
  add('c103' + lp(u8('example.com')), 'sni')
  add('d203' + lp(hex(S.certMh)), 'certhash sha2-256')
  add('d203' + lp('00'), 'DIFF: certhash [0x00]: js accepts; go/rust reject (not a multihash)')
  add('d20300', 'DIFF: empty certhash: js misparses; go rejects')
  add('c003', 'tls')
  add(vh(290), 'p2p-circuit')
  add(vh(290) + vh(290))
  add('bb03', 'https (443)')
  add('dd03', 'ws')
  add('de03', 'wss')
  add('df03', 'p2p-websocket-star')
  add('9502', 'p2p-stardust (277)')
  add('9302', 'p2p-webrtc-star (275)')
  add('9402', 'p2p-webrtc-direct (276)')
  add('9802', 'webrtc-direct (280)')
  add('9902', 'webrtc (281)')
  add('ad02', 'udt (301)')
  add('ae02', 'utp (302)')
  add('cc03', 'quic (460)')
  add('cd03', 'quic-v1 (461)')
  add('d103', 'webtransport (465)')
  add('e003', 'http (480)')
  add('c603', 'noise (454)')
  add('21' + '04d2', 'dccp')
  add('8401' + '04d2', 'sctp')
  add('9102' + '04d2', 'udp')
  return out
}

function mutatedBytes (validHexes, r) {
  const out = []
  const seen = new Set()
  const push = (h, note) => { if (!seen.has(h)) { seen.add(h); out.push([h, note]) } }
  // every truncation of a spread of valid encodings
  const step = Math.max(1, Math.floor(validHexes.length / 60))
  for (let k = 0; k < validHexes.length; k += step) {
    const h = validHexes[k]
    const n = h.length / 2
    for (let cut = 1; cut < n; cut++) {
      if (n > 40 && cut > 6 && cut < n - 6 && cut % 7 !== 0) continue
      push(h.slice(0, cut * 2), 'truncated')
    }
  }
  // random single-byte mutations, insertions, deletions, appended junk
  for (let i = 0; i < 1200; i++) {
    const h = validHexes[r.int(0, validHexes.length - 1)]
    const b = Array.from(fromHex(h))
    const op = r.int(0, 4)
    if (op === 0 && b.length) b[r.int(0, b.length - 1)] = r.int(0, 255)
    else if (op === 1 && b.length) b[r.int(0, b.length - 1)] ^= 1 << r.int(0, 7)
    else if (op === 2) b.splice(r.int(0, b.length), 0, r.int(0, 255))
    else if (op === 3 && b.length) b.splice(r.int(0, b.length - 1), 1)
    else b.push(...r.bytes(r.int(1, 3)))
    push(hex(Uint8Array.from(b)), ['byte replaced', 'bit flipped', 'byte inserted', 'byte deleted', 'junk appended'][op])
  }
  // concatenations of two valid encodings (must decode as the concatenation)
  for (let i = 0; i < 150; i++) {
    const a = validHexes[r.int(0, validHexes.length - 1)]
    const b = validHexes[r.int(0, validHexes.length - 1)]
    push(a + b, 'concatenation of two valid encodings')
  }
  return out
}

// ------------------------------------------------------------------------------------------
// main

function writeJsonl (name, records) {
  const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n'
  writeFileSync(join(outDir, name), text)
  const size = Buffer.byteLength(text)
  console.log(`${name}: ${records.length} records, ${size} bytes`)
  if (size > 2 * 1024 * 1024) throw new Error(`${name} is larger than 2 MiB`)
}

async function main () {
  mkdirSync(outDir, { recursive: true })
  const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))
  const installed = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version
  for (const dep of Object.keys(pkg.dependencies)) {
    if (installed(dep) !== pkg.dependencies[dep]) {
      throw new Error(`${dep} ${installed(dep)} is installed but package.json pins ${pkg.dependencies[dep]}: run npm ci`)
    }
  }

  const keys = await generateKeys()
  writeJsonl('peer_id_js.jsonl', keys)
  writeJsonl('peer_id_parse_js.jsonl', peerIdParseRecords(keys))

  const S = buildSamples(keys)
  const seen = new Map()
  const textRecords = []
  const addText = (input, note) => {
    const prev = seen.get(input)
    if (prev) {
      // a duplicate: keep the first record, but do not lose a note given later
      if (note && !prev.note) prev.note = note
      return
    }
    const rec = evaluateText(input, note)
    seen.set(input, rec)
    textRecords.push(rec)
  }
  for (const e of handCorpus(S)) {
    if (Array.isArray(e)) addText(e[0], e[1])
    else addText(e)
  }
  const handCount = textRecords.length
  // hand notes that describe a cross-implementation difference also go into known_diff
  for (const rec of textRecords) {
    if (rec.note?.startsWith('DIFF')) rec.known_diff = rec.known_diff ? `${rec.known_diff}; ${rec.note}` : rec.note
  }
  const r = new Drbg('weft/multiaddr/random')
  const RANDOM_COUNT = 3000
  while (textRecords.length < handCount + RANDOM_COUNT) addText(randomAddr(r, S))
  writeJsonl('multiaddr_js.jsonl', textRecords)
  const okText = textRecords.filter((x) => x.ok).length
  console.log(`  hand-written: ${handCount}, random: ${RANDOM_COUNT}, accepted by js: ${okText}, rejected: ${textRecords.length - okText}`)

  const bytesRecords = []
  const seenHex = new Set()
  const addBytes = (h, note) => {
    if (seenHex.has(h)) return
    seenHex.add(h)
    bytesRecords.push(evaluateBytes(h, note))
  }
  for (const [h, note] of handBytes(S)) addBytes(h, note)
  const validHexes = textRecords.filter((x) => x.ok && x.roundtrip).map((x) => x.hex)
  // every valid encoding from the hand-written corpus, decoded
  for (const x of textRecords.slice(0, handCount)) if (x.ok && x.hex) addBytes(x.hex, 'encoding of a text vector')
  for (const [h, note] of mutatedBytes(validHexes, new Drbg('weft/multiaddr/mutations'))) addBytes(h, note)
  writeJsonl('multiaddr_bytes_js.jsonl', bytesRecords)
}

await main()
