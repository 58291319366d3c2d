/// <reference types="node" />
// Cross-checks with the Rust crate: its vectors verify here, and an election made here is written
// for the Rust tests (`WRITE_VECTORS=1 npx vitest run src/lib/ballot`).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import {
  aggregate,
  challenge,
  checkAudit,
  combineShares,
  deal,
  decryptAggregate,
  electionKey,
  encryptBallot,
  encryptWith,
  parsePoint,
  parseScalar,
  pointHex,
  scalarHex,
  tracker,
  transportKey,
  verificationKey,
  verifyBallot,
  verifyDealing,
  type BallotJson,
  type ContestShape,
} from './crypto';

const vectors = join(dirname(fileURLToPath(import.meta.url)), '../../../../api/ballot-crypto/tests/vectors');

type RustVectors = {
  fixed: { label: string; election: string; points: string[]; challenge: string; key: string; message: number; randomness: string; a: string; b: string };
  record: {
    election: string;
    threshold: number;
    public_key: string;
    contests: { id: string; candidates: string[]; max: number }[];
    trustees: { trustee: number; dealing: Parameters<typeof verifyDealing>[1]; verification_key: string }[];
    ballots: BallotJson[];
  };
  trackers: string[];
};

const rust: RustVectors = JSON.parse(readFileSync(join(vectors, 'rust-record.json'), 'utf8'));
const shapeOf = (cs: { id: string; candidates: string[]; max: number }[]): ContestShape[] =>
  cs.map((c) => ({ id: c.id, candidates: c.candidates.length, max: c.max }));

describe('the Rust vectors', () => {
  it('give the same challenge and ciphertext', () => {
    const f = rust.fixed;
    expect(scalarHex(challenge(f.label, f.election, f.points.map(parsePoint)))).toBe(f.challenge);
    const ct = encryptWith(parsePoint(f.key), f.message, parseScalar(f.randomness));
    expect([pointHex(ct.a), pointHex(ct.b)]).toEqual([f.a, f.b]);
  });

  it('have ballots that verify here, with the same trackers, and trustees whose keys add up', () => {
    const r = rust.record;
    const y = parsePoint(r.public_key);
    for (const b of r.ballots) expect(verifyBallot(b, r.election, y, shapeOf(r.contests))).toBe(true);
    expect(r.ballots.map(tracker)).toEqual(rust.trackers);
    const dealings = r.trustees.map((t) => t.dealing);
    for (const d of dealings) expect(verifyDealing(r.election, d, r.threshold)).toBe(true);
    expect(pointHex(electionKey(dealings))).toBe(r.public_key);
    for (const t of r.trustees) expect(pointHex(verificationKey(dealings, t.trustee))).toBe(t.verification_key);
  });

  it('refuse a changed ballot, one of another election, and one with a changed contest order', () => {
    const r = rust.record;
    const y = parsePoint(r.public_key);
    const shape = shapeOf(r.contests);
    const changed: BallotJson = structuredClone(r.ballots[0]);
    const s = changed.contests[0].sum_proof;
    changed.contests[0].sum_proof = s.slice(0, 20) + (s[20] === 'A' ? 'B' : 'A') + s.slice(21);
    expect(verifyBallot(changed, r.election, y, shape)).toBe(false);
    // Every single-character change of a ciphertext or a proof is refused.
    const original: BallotJson = r.ballots[0];
    const fields = ['blank', 'blank_proof', 'sum_proof'] as const;
    let tried = 0;
    for (const field of fields) {
      const text = original.contests[0][field];
      for (let i = 0; i < text.length; i += 5) {
        const bad: BallotJson = structuredClone(original);
        bad.contests[0][field] = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
        expect(verifyBallot(bad, r.election, y, shape), `${field} at ${i}`).toBe(false);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(50);
    expect(verifyBallot(r.ballots[0], 'another', y, shape)).toBe(false);
    expect(verifyBallot(r.ballots[0], r.election, y, [...shape].reverse())).toBe(false);
  });
});

describe('ballots made here', () => {
  const election = 'ts-election-1';
  const t = transportKey(election, 1);
  const dealing = deal(election, 1, 1, [t.published]);
  const key = pointHex(electionKey([dealing]));
  const shape = [
    { id: 'board', candidates: 4, max: 2 },
    { id: 'inspector', candidates: 2, max: 1 },
  ];

  it('verify, and an audit reveals exactly what they encrypt', () => {
    const made = encryptBallot(election, key, [
      { ...shape[0], selected: [0, 3] },
      { ...shape[1], selected: [] },
    ]);
    expect(verifyBallot(made.ballot, election, parsePoint(key), shape)).toBe(true);
    expect(made.tracker).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(checkAudit(made.ballot, made.secrets, key)).toEqual([
      [true, false, false, true],
      [false, false],
    ]);
    // Secrets that claim another choice do not match the ciphertexts.
    const lie = structuredClone(made.secrets);
    lie[0].selected = [false, true, false, true];
    expect(checkAudit(made.ballot, lie, key)).toBeNull();
  });

  it('cannot carry more selections than allowed', () => {
    expect(() => encryptBallot(election, key, [{ ...shape[0], selected: [0, 1, 2] }, { ...shape[1], selected: [] }])).toThrow();
  });
});

describe('an election made here, for the Rust tests', () => {
  it('runs the ceremony, casts, decrypts and is written out', () => {
    const election = '5e0c7b1d2a3f4e5d6c7b8a9f0e1d2c3b';
    const threshold = 2;
    const transports = [1, 2, 3].map((i) => transportKey(election, i));
    const dealings = [1, 2, 3].map((i) => deal(election, i, threshold, transports.map((x) => x.published)));
    const shares = [1, 2, 3].map((j) => combineShares(election, j, transports[j - 1].secret, dealings, threshold));
    const publicKey = pointHex(electionKey(dealings));
    const contests = [
      { id: 'board', candidates: ['p', 'q', 'r'], max: 2 },
      { id: 'inspector', candidates: ['s', 't'], max: 1 },
    ];
    const shape = shapeOf(contests);
    const plaintexts = [
      [[0, 2], [1]],
      [[], [0]],
      [[1], []],
      [[0], [1]],
    ];
    const made = plaintexts.map((p) => encryptBallot(election, publicKey, shape.map((s, i) => ({ ...s, selected: p[i] }))));
    const ballots = made.map((m) => m.ballot);
    const agg = aggregate(ballots, shape);
    const partial = [1, 3].map((j) => decryptAggregate(election, j, shares[j - 1], agg));
    const count = (ci: number, k: number) => plaintexts.filter((p) => p[ci].includes(k)).length;
    const record = {
      version: 1,
      election,
      title: 'TypeScript',
      threshold,
      contests,
      trustees: [1, 2, 3].map((i) => ({
        trustee: i,
        transport: transports[i - 1].published,
        dealing: dealings[i - 1],
        verification_key: pointHex(verificationKey(dealings, i)),
      })),
      public_key: publicKey,
      ballots,
      aggregate: agg,
      partial_decryptions: partial,
      counts: contests.map((c, ci) => ({
        contest: c.id,
        choices: c.candidates.map((_, k) => count(ci, k)),
        blank: plaintexts.filter((p) => p[ci].length === 0).length,
      })),
    };
    const out = {
      record,
      trackers: made.map((m) => m.tracker),
      plaintexts,
      transport_secrets: transports.map((x) => x.secret),
      key_shares: shares,
    };
    expect(made.every((m, i) => tracker(ballots[i]) === m.tracker)).toBe(true);
    if (process.env.WRITE_VECTORS) writeFileSync(join(vectors, 'typescript-record.json'), JSON.stringify(out, null, 2) + '\n');
  });
});
