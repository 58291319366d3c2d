/**
 * Verifiable ballots in the browser: the same scheme as the server's `anjoman-ballot-crypto`
 * crate (exponential ElGamal on Ristretto255, disjunctive Chaum–Pedersen proofs, Fiat–Shamir
 * challenges bound to the election and the place in the ballot), so the voter's choices are
 * encrypted and proven here and never leave the device in the clear. The trustees' ceremony and
 * partial decryptions use the same primitives. Test vectors made by the Rust crate are checked in
 * `crypto.test.ts`; ballots made here are checked by the Rust tests.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';

const P = ristretto255.Point;
export type Point = InstanceType<typeof P>;
const L = P.Fn.ORDER;
const G = P.BASE;
const enc = new TextEncoder();

export const VERSION = 1;

// --- scalars and points ---------------------------------------------------------------------

export const mod = (x: bigint): bigint => ((x % L) + L) % L;

function bytesToBigLE(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}

function bigToBytesLE(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export function fromHex(s: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/.test(s)) throw new Error('not lowercase hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const scalarHex = (s: bigint): string => toHex(bigToBytesLE(mod(s)));

export function parseScalar(s: string): bigint {
  const b = fromHex(s);
  if (b.length !== 32) throw new Error('scalar: not 32 bytes');
  const x = bytesToBigLE(b);
  if (x >= L) throw new Error('scalar: not canonical');
  return x;
}

export const pointHex = (p: Point): string => toHex(p.toBytes());
export const parsePoint = (s: string): Point => P.fromBytes(fromHex(s));

/** `s·p`, for any scalar including 0 (noble refuses 0 in the constant-time path). */
export function mul(p: Point, s: bigint): Point {
  const k = mod(s);
  return k === 0n ? P.ZERO : p.multiply(k);
}

/** Variable-time `s·p`, for public values only. */
const mulPublic = (p: Point, s: bigint): Point => p.multiplyUnsafe(mod(s));

/** A uniformly random scalar (64 random bytes reduced, as the Rust side does). */
export function randomScalar(): bigint {
  const b = new Uint8Array(64);
  crypto.getRandomValues(b);
  return mod(bytesToBigLE(b));
}

function u64le(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

/** SHA-512 of a domain label, the election id and the points (each as the encoding of its double, as the Rust side batches it). */
function transcript(label: string, election: string, points: Point[]): Uint8Array {
  const l = enc.encode(label);
  const e = enc.encode(election);
  const parts = [enc.encode('anjoman-ballot-crypto/v1\0'), u64le(l.length), l, u64le(e.length), e, ...points.map((p) => p.double().toBytes())];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return sha512(all);
}

/** Fiat–Shamir: the transcript's hash reduced to a scalar. */
export const challenge = (label: string, election: string, points: Point[]): bigint => mod(bytesToBigLE(transcript(label, election, points)));

const M128 = (1n << 128n) - 1n;

/** The 128-bit challenge of the ballots' disjunctive proofs: the hash's first 16 bytes. */
export const challenge128 = (label: string, election: string, points: Point[]): bigint => bytesToBigLE(transcript(label, election, points).slice(0, 16));

// --- ElGamal and proofs -----------------------------------------------------------------------

export type Ciphertext = { a: Point; b: Point };
/** A ciphertext on the wire: unpadded base64url of `a ‖ b`. */
export type CiphertextJson = string;
/** A range proof on the wire: unpadded base64url of its 16-byte challenges, then its 32-byte responses. */
export type RangeProofJson = string;
export type ContestJson = {
  contest: string;
  choices: CiphertextJson[];
  choice_proofs: RangeProofJson[];
  blank: CiphertextJson;
  blank_proof: RangeProofJson;
  sum_proof: RangeProofJson;
};

function base64url(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict unpadded base64url: refuses any string that is not the one encoding of its bytes. */
function unbase64url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) throw new Error('not base64url');
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  const out = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  if (base64url(out) !== s) throw new Error('not canonical base64url');
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function bigToBytes(x: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

type RangeProof = { challenges: bigint[]; responses: bigint[] };

const proofJson = (p: RangeProof): RangeProofJson => base64url(concat([...p.challenges.map((c) => bigToBytes(c, 16)), ...p.responses.map((r) => bigToBytes(r, 32))]));

function proofParse(s: RangeProofJson): RangeProof {
  const b = unbase64url(s);
  if (b.length === 0 || b.length % 48 !== 0) throw new Error('proof: wrong length');
  const n = b.length / 48;
  const challenges = Array.from({ length: n }, (_, i) => bytesToBigLE(b.slice(16 * i, 16 * i + 16)));
  const responses = Array.from({ length: n }, (_, i) => {
    const x = bytesToBigLE(b.slice(16 * n + 32 * i, 16 * n + 32 * i + 32));
    if (x >= L) throw new Error('scalar: not canonical');
    return x;
  });
  return { challenges, responses };
}
export type BallotJson = { version: number; election: string; contests: ContestJson[] };

export const encryptWith = (y: Point, m: number, r: bigint): Ciphertext => ({ a: mul(G, r), b: mul(G, BigInt(m)).add(mul(y, r)) });
const ctAdd = (x: Ciphertext, y: Ciphertext): Ciphertext => ({ a: x.a.add(y.a), b: x.b.add(y.b) });
const ctJson = (c: Ciphertext): CiphertextJson => base64url(concat([c.a.toBytes(), c.b.toBytes()]));
function ctParse(c: CiphertextJson): Ciphertext {
  const b = unbase64url(c);
  if (b.length !== 64) throw new Error('ciphertext: not 64 bytes');
  return { a: P.fromBytes(b.slice(0, 32)), b: P.fromBytes(b.slice(32)) };
}
const ZERO_CT: Ciphertext = { a: P.ZERO, b: P.ZERO };

/** The commitments branch j implies, with `shifted = b - j·G`: `s·G - c·a` and `s·Y - c·shifted` (public values: variable time). */
function branchCommitments(y: Point, a: Point, shifted: Point, c: bigint, s: bigint): [Point, Point] {
  return [mulPublic(G, s).subtract(mulPublic(a, c)), mulPublic(y, s).subtract(mulPublic(shifted, c))];
}

function rangeHash(election: string, label: string, y: Point, ct: Ciphertext, commitments: [Point, Point][]): bigint {
  return challenge128(label, election, [y, ct.a, ct.b, ...commitments.flat()]);
}

function randomU128(): bigint {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return bytesToBigLE(b);
}

/** Proves that `ct = Enc(v; r)` under `y` with `v ≤ max` (Cramer–Damgård–Schoenmakers, 128-bit challenges adding up mod 2^128). */
export function proveRange(election: string, label: string, y: Point, ct: Ciphertext, v: number, r: bigint, max: number): RangeProofJson {
  if (v < 0 || v > max) throw new Error('the value must be in range');
  const n = max + 1;
  const cs = new Array<bigint>(n).fill(0n);
  const ss = new Array<bigint>(n).fill(0n);
  const commitments: [Point, Point][] = [];
  const w = randomScalar();
  let shifted = ct.b;
  for (let j = 0; j < n; j++) {
    if (j === v) commitments.push([mul(G, w), mul(y, w)]);
    else {
      cs[j] = randomU128();
      ss[j] = randomScalar();
      commitments.push(branchCommitments(y, ct.a, shifted, cs[j], ss[j]));
    }
    shifted = shifted.subtract(G);
  }
  const c = rangeHash(election, label, y, ct, commitments);
  cs[v] = (c - cs.reduce((a, b) => a + b, 0n)) & M128;
  ss[v] = mod(w + cs[v] * r);
  return proofJson({ challenges: cs, responses: ss });
}

export function verifyRange(election: string, label: string, y: Point, ct: Ciphertext, proof: RangeProofJson, max: number): boolean {
  const n = max + 1;
  const { challenges: cs, responses: ss } = proofParse(proof);
  if (cs.length !== n || ss.length !== n) return false;
  let shifted = ct.b;
  const commitments: [Point, Point][] = [];
  for (let j = 0; j < n; j++) {
    commitments.push(branchCommitments(y, ct.a, shifted, cs[j], ss[j]));
    shifted = shifted.subtract(G);
  }
  return (cs.reduce((a, b) => a + b, 0n) & M128) === rangeHash(election, label, y, ct, commitments);
}

const choiceLabel = (contest: string, i: number) => `${contest}/choice-${i}`;
const blankLabel = (contest: string) => `${contest}/blank`;
const sumLabel = (contest: string) => `${contest}/sum`;

function shiftedSum(choices: Ciphertext[], blank: Ciphertext, max: number): Ciphertext {
  const sum = choices.reduce(ctAdd, ZERO_CT);
  return { a: sum.a.add(mulPublic(blank.a, BigInt(max))), b: sum.b.add(mulPublic(blank.b, BigInt(max))).subtract(G) };
}

/** What auditing (spoiling) a ballot reveals: the choices and the randomness of every ciphertext. */
export type ContestSecrets = { contest: string; selected: boolean[]; randomness: string[]; blank_randomness: string };

/** Encrypts one contest's selection with its proofs; also returns the secrets, for an audit. */
export function encryptContest(
  election: string,
  contest: string,
  y: Point,
  selected: boolean[],
  max: number,
): { json: ContestJson; secrets: ContestSecrets } {
  const count = selected.filter(Boolean).length;
  if (max < 1 || count > max) throw new Error('more selections than allowed');
  const rs = selected.map(() => randomScalar());
  const choices = selected.map((s, i) => encryptWith(y, s ? 1 : 0, rs[i]));
  const choiceProofs = choices.map((ct, i) => proveRange(election, choiceLabel(contest, i), y, ct, selected[i] ? 1 : 0, rs[i], 1));
  const isBlank = count === 0 ? 1 : 0;
  const rb = randomScalar();
  const blank = encryptWith(y, isBlank, rb);
  const blankProof = proveRange(election, blankLabel(contest), y, blank, isBlank, rb, 1);
  const shifted = shiftedSum(choices, blank, max);
  const rShifted = mod(rs.reduce((a, b) => a + b, 0n) + rb * BigInt(max));
  const sumProof = proveRange(election, sumLabel(contest), y, shifted, count + max * isBlank - 1, rShifted, max - 1);
  return {
    json: {
      contest,
      choices: choices.map(ctJson),
      choice_proofs: choiceProofs,
      blank: ctJson(blank),
      blank_proof: blankProof,
      sum_proof: sumProof,
    },
    secrets: { contest, selected: [...selected], randomness: rs.map(scalarHex), blank_randomness: scalarHex(rb) },
  };
}

export function verifyContest(election: string, y: Point, c: ContestJson, contest: string, candidates: number, max: number): boolean {
  try {
    if (c.contest !== contest || max < 1 || c.choices.length !== candidates || c.choice_proofs.length !== candidates) return false;
    const choices = c.choices.map(ctParse);
    if (!choices.every((ct, i) => verifyRange(election, choiceLabel(contest, i), y, ct, c.choice_proofs[i], 1))) return false;
    const blank = ctParse(c.blank);
    if (!verifyRange(election, blankLabel(contest), y, blank, c.blank_proof, 1)) return false;
    return verifyRange(election, sumLabel(contest), y, shiftedSum(choices, blank, max), c.sum_proof, max - 1);
  } catch {
    return false;
  }
}

export type ContestShape = { id: string; candidates: number; max: number };

export function verifyBallot(ballot: BallotJson, election: string, y: Point, shape: ContestShape[]): boolean {
  return (
    ballot.version === VERSION &&
    ballot.election === election &&
    ballot.contests.length === shape.length &&
    shape.every((s, i) => verifyContest(election, y, ballot.contests[i], s.id, s.candidates, s.max))
  );
}

/** The canonical JSON of a ballot: the field order the server writes. */
export function canonicalBallot(b: BallotJson): string {
  return JSON.stringify({
    version: b.version,
    election: b.election,
    contests: b.contests.map((c) => ({
      contest: c.contest,
      choices: [...c.choices],
      choice_proofs: [...c.choice_proofs],
      blank: c.blank,
      blank_proof: c.blank_proof,
      sum_proof: c.sum_proof,
    })),
  });
}

/** The tracking code: SHA-256 of the canonical ballot, unpadded base64url. */
export const tracker = (b: BallotJson): string => base64url(sha256(enc.encode(canonicalBallot(b))));

/** Encrypts a whole ballot: `selections[i]` are the chosen candidates' positions in contest `i`. */
export function encryptBallot(
  election: string,
  publicKey: string,
  contests: { id: string; candidates: number; max: number; selected: number[] }[],
): { ballot: BallotJson; secrets: ContestSecrets[]; tracker: string } {
  const y = parsePoint(publicKey);
  const parts = contests.map((c) => {
    const picks = Array.from({ length: c.candidates }, (_, i) => c.selected.includes(i));
    return encryptContest(election, c.id, y, picks, c.max);
  });
  const ballot: BallotJson = { version: VERSION, election, contests: parts.map((p) => p.json) };
  return { ballot, secrets: parts.map((p) => p.secrets), tracker: tracker(ballot) };
}

/**
 * Checks an audited ballot: every ciphertext is re-made from the revealed choice and randomness,
 * and every proof verifies. Returns the choices it really encrypts, or null.
 */
export function checkAudit(ballot: BallotJson, secrets: ContestSecrets[], publicKey: string): boolean[][] | null {
  try {
    const y = parsePoint(publicKey);
    if (secrets.length !== ballot.contests.length) return null;
    for (const [i, c] of ballot.contests.entries()) {
      const s = secrets[i];
      if (s.contest !== c.contest || s.randomness.length !== c.choices.length) return null;
      for (const [k, ct] of c.choices.entries()) {
        if (ctJson(encryptWith(y, s.selected[k] ? 1 : 0, parseScalar(s.randomness[k]))) !== ct) return null;
      }
      if (ctJson(encryptWith(y, s.selected.includes(true) ? 0 : 1, parseScalar(s.blank_randomness))) !== c.blank) return null;
    }
    return secrets.map((s) => s.selected);
  } catch {
    return null;
  }
}

// --- trustees -----------------------------------------------------------------------------------

export type SchnorrJson = { challenge: string; response: string };

export function proveSchnorr(election: string, label: string, x: bigint): SchnorrJson {
  const w = randomScalar();
  const c = challenge(label, election, [mul(G, x), mul(G, w)]);
  return { challenge: scalarHex(c), response: scalarHex(w + c * x) };
}

export function verifySchnorr(election: string, label: string, bigX: Point, p: SchnorrJson): boolean {
  const c = parseScalar(p.challenge);
  const t = mulPublic(G, parseScalar(p.response)).subtract(mulPublic(bigX, c));
  return challenge(label, election, [bigX, t]) === c;
}

export const transportLabel = (trustee: number) => `trustee-${trustee}/transport`;
const keyLabel = (trustee: number) => `trustee-${trustee}/key`;

export type TransportKeyJson = { trustee: number; key: string; proof: SchnorrJson };
export type EncryptedShareJson = { to: number; ephemeral: string; masked: string };
export type DealingJson = { trustee: number; commitments: string[]; proof: SchnorrJson; shares: EncryptedShareJson[] };

/** Round 1: a transport key pair; the secret stays on this device. */
export function transportKey(election: string, trustee: number): { secret: string; published: TransportKeyJson } {
  const t = randomScalar();
  return { secret: scalarHex(t), published: { trustee, key: pointHex(mul(G, t)), proof: proveSchnorr(election, transportLabel(trustee), t) } };
}

const sharePad = (election: string, from: number, to: number, transport: Point, eph: Point, shared: Point) =>
  challenge(`share/${from}-${to}`, election, [transport, eph, shared]);

const evalPoly = (coefficients: bigint[], x: number): bigint => coefficients.reduceRight((acc, a) => mod(acc * BigInt(x) + a), 0n);

function evalCommitments(commitments: Point[], j: number): Point {
  return commitments.reduceRight((acc, c) => mulPublic(acc, BigInt(j)).add(c), P.ZERO);
}

/**
 * Round 2: this trustee's polynomial of degree `threshold - 1`, published as commitments with a
 * proof of the constant term, and one share for every trustee, encrypted to its transport key.
 * The polynomial itself is dropped.
 */
export function deal(election: string, trustee: number, threshold: number, transports: TransportKeyJson[]): DealingJson {
  for (const t of transports) {
    if (!verifySchnorr(election, transportLabel(t.trustee), parsePoint(t.key), t.proof)) throw new Error(`transport key of trustee ${t.trustee}`);
  }
  const coefficients = Array.from({ length: threshold }, () => randomScalar());
  const shares = transports.map((t) => {
    const e = randomScalar();
    const eph = mul(G, e);
    const key = parsePoint(t.key);
    const s = evalPoly(coefficients, t.trustee);
    return { to: t.trustee, ephemeral: pointHex(eph), masked: scalarHex(s + sharePad(election, trustee, t.trustee, key, eph, mul(key, e))) };
  });
  return {
    trustee,
    commitments: coefficients.map((a) => pointHex(mul(G, a))),
    proof: proveSchnorr(election, keyLabel(trustee), coefficients[0]),
    shares,
  };
}

export function verifyDealing(election: string, d: DealingJson, threshold: number): boolean {
  try {
    return d.commitments.length === threshold && verifySchnorr(election, keyLabel(d.trustee), parsePoint(d.commitments[0]), d.proof);
  } catch {
    return false;
  }
}

/** Trustee `j`'s public verification key, from the dealings alone. */
export function verificationKey(dealings: DealingJson[], j: number): Point {
  return dealings.map((d) => evalCommitments(d.commitments.map(parsePoint), j)).reduce((a, b) => a.add(b), P.ZERO);
}

export function electionKey(dealings: DealingJson[]): Point {
  return dealings.map((d) => parsePoint(d.commitments[0])).reduce((a, b) => a.add(b), P.ZERO);
}

/**
 * Round 3: trustee `j` opens the shares addressed to it, checks each against its dealer's
 * commitments, and sums them into its key share (kept on this device).
 */
export function combineShares(election: string, j: number, transportSecret: string, dealings: DealingJson[], threshold: number): string {
  const t = parseScalar(transportSecret);
  const transport = mul(G, t);
  let x = 0n;
  for (const d of dealings) {
    if (!verifyDealing(election, d, threshold)) throw new Error(`the dealing of trustee ${d.trustee} does not verify`);
    const s = d.shares.find((z) => z.to === j);
    if (!s) throw new Error(`no share from trustee ${d.trustee}`);
    const eph = parsePoint(s.ephemeral);
    const share = mod(parseScalar(s.masked) - sharePad(election, d.trustee, j, transport, eph, mul(eph, t)));
    if (!mul(G, share).equals(evalCommitments(d.commitments.map(parsePoint), j))) {
      throw new Error(`the share from trustee ${d.trustee} does not match its commitments`);
    }
    x = mod(x + share);
  }
  return scalarHex(x);
}

export type FactorJson = { factor: string; challenge: string; response: string };
export type ContestAggregateJson = { contest: string; choices: CiphertextJson[]; blank: CiphertextJson };
export type PartialDecryptionJson = {
  version: number;
  election: string;
  trustee: number;
  contests: { contest: string; choices: FactorJson[]; blank: FactorJson }[];
};

const tallyLabel = (contest: string, slot: number | null) => (slot === null ? `tally/${contest}/blank` : `tally/${contest}/choice-${slot}`);

function factor(election: string, label: string, trustee: number, x: bigint, ct: CiphertextJson): FactorJson {
  const a = ctParse(ct).a;
  const z = mul(a, x);
  const w = randomScalar();
  const c = challenge(`${label}/trustee-${trustee}`, election, [mul(G, x), a, z, mul(G, w), mul(a, w)]);
  return { factor: pointHex(z), challenge: scalarHex(c), response: scalarHex(w + c * x) };
}

/** A trustee's partial decryption of the whole aggregate, with a proof per slot. */
export function decryptAggregate(election: string, trustee: number, keyShare: string, aggregate: ContestAggregateJson[]): PartialDecryptionJson {
  const x = parseScalar(keyShare);
  return {
    version: VERSION,
    election,
    trustee,
    contests: aggregate.map((c) => ({
      contest: c.contest,
      choices: c.choices.map((ct, i) => factor(election, tallyLabel(c.contest, i), trustee, x, ct)),
      blank: factor(election, tallyLabel(c.contest, null), trustee, x, c.blank),
    })),
  };
}

/** The homomorphic sum of ballots, per contest (what the server publishes for the trustees). */
export function aggregate(ballots: BallotJson[], shape: ContestShape[]): ContestAggregateJson[] {
  return shape.map((s, i) => {
    let choices: Ciphertext[] = Array.from({ length: s.candidates }, () => ZERO_CT);
    let blank = ZERO_CT;
    for (const b of ballots) {
      choices = choices.map((c, k) => ctAdd(c, ctParse(b.contests[i].choices[k])));
      blank = ctAdd(blank, ctParse(b.contests[i].blank));
    }
    return { contest: s.id, choices: choices.map(ctJson), blank: ctJson(blank) };
  });
}
