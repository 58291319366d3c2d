// Ballot encryption as the voter's browser does it (V8, the engine of Chromium), for
// BENCHMARKS.md: `npx vitest bench --run src/lib/ballot` in web-client. The shape is the
// reference "up to 3 of 10" of `cargo bench -p anjoman-ballot-crypto --bench ballots`.
import { bench, describe } from 'vitest';
import { deal, electionKey, encryptBallot, parsePoint, pointHex, transportKey, verifyBallot } from './crypto';

const election = 'bench-election';
const t = transportKey(election, 1);
const key = pointHex(electionKey([deal(election, 1, 1, [t.published])]));
const shape = [{ id: 'board', candidates: 10, max: 3 }];
const made = encryptBallot(election, key, [{ ...shape[0], selected: [1, 4, 7] }]);
const y = parsePoint(key);

describe('a ballot of "up to 3 of 10"', () => {
  bench('encrypt with proofs (voter)', () => {
    encryptBallot(election, key, [{ ...shape[0], selected: [1, 4, 7] }]);
  });
  bench('verify (audit on the device)', () => {
    verifyBallot(made.ballot, election, y, shape);
  });
});
