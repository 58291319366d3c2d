#!/usr/bin/env bash
# The reference pipeline for BENCHMARKS.md: a Belenios election of the same shape as
# `cargo bench -p anjoman-ballot-crypto --bench ballots` — one question, "up to 3 of 10", N
# ballots, 2-of-3 threshold trustees — timed phase by phase with Debian's belenios-tool.
#
#   benches/belenios.sh [BALLOTS] [GROUP]      (defaults: 1000, BELENIOS-2048)
#
# Debian's build of belenios-tool 2.0 has the finite-field groups only (no Ed25519).
#
# Prints one line per phase: `belenios <phase> <seconds>`, then the bytes of one ballot.
set -euo pipefail
N=${1:-1000}
GROUP=${2:-BELENIOS-2048}
command -v belenios-tool >/dev/null || { echo "belenios-tool is not installed (apt-get install belenios-tool)" >&2; exit 2; }
export BELENIOS_USE_URANDOM=1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

uuid=$(belenios-tool setup generate-token)
group="--group $GROUP"
answers=$(python3 -c 'import json; print(json.dumps(["Candidate %d" % i for i in range(1, 11)]))')
cat > template.json <<JSON
{"description":"Benchmark","name":"Up to 3 of 10","questions":[{"answers":$answers,"blank":false,"min":0,"max":3,"question":"Board"}],"administrator":"Bench","credential_authority":"Bench"}
JSON

setup() {
  belenios-tool setup generate-credentials --uuid "$uuid" $group --count "$N" > /dev/null
  mv *.pubcreds public_creds.json
  mv *.privcreds private_creds.txt
  tk() { belenios-tool setup generate-trustee-key-threshold $group "$@"; }
  tk --step 1; tk --step 1; tk --step 1
  cat *.cert > certs.jsons
  tk --certs certs.jsons --step 2
  for u in *.key; do tk --certs certs.jsons --key "$u" --step 3 --threshold 2; done > polynomials.jsons
  tk --certs certs.jsons --step 4 --polynomials polynomials.jsons
  for u in *.key; do b=${u%.key}; tk --certs certs.jsons --key "$u" --step 5 < "$b.vinput" > "$b.voutput"; done
  cat *.voutput | tk --certs certs.jsons --step 6 --polynomials polynomials.jsons > threshold.json
  # Belenios also wants a plain (server) trustee key beside the threshold group, as in its demo.
  belenios-tool setup generate-trustee-key $group
  cat *.pubkey > public_keys.jsons
  belenios-tool setup make-trustees
  rm threshold.json
  belenios-tool setup make-election --uuid "$uuid" $group --template template.json
  belenios-tool archive init
  rm -f election.json trustees.json public_creds.json
}

# Each voter picks up to three of the ten at random.
python3 - "$N" > votes.txt <<'PY'
import random, sys
for _ in range(int(sys.argv[1])):
    k = random.randint(0, 3)
    chosen = set(random.sample(range(10), k))
    print("[[" + ",".join("1" if i in chosen else "0" for i in range(10)) + "]]")
PY

vote() {
  paste private_creds.txt votes.txt | while read -r id cred v; do
    belenios-tool election generate-ballot --privcred <(echo "$cred") --ballot <(echo "$v") | belenios-tool archive add-event --type=Ballot
  done
}

one_ballot() {
  head -n1 private_creds.txt | { read -r id cred; belenios-tool election generate-ballot --privcred <(echo "$cred") --ballot <(head -n1 votes.txt); } > one-ballot.json
}

tally() {
  belenios-tool archive add-event --type=EndBallots < /dev/null
  belenios-tool election compute-encrypted-tally | belenios-tool archive add-event --type=EncryptedTally
  # Two of the three threshold trustees (ids 2..4 after the server key), and the server key.
  local id=2
  for u in $(ls *.key | head -n2); do
    belenios-tool election decrypt-threshold --key "$u" --decryption-key "${u%.key}.dkey" --trustee-id "$id" | belenios-tool archive add-event --type=PartialDecryption
    id=$((id + 1))
  done
  for u in *.privkey; do
    belenios-tool election decrypt --privkey "$u" --trustee-id 1 | belenios-tool archive add-event --type=PartialDecryption
  done
  belenios-tool election compute-result | belenios-tool archive add-event --type=Result
}

total_start=$(date +%s.%N)
s=$(date +%s.%N); setup > /dev/null 2>&1; echo "belenios setup $(echo "$(date +%s.%N) - $s" | bc)"
s=$(date +%s.%N); one_ballot; e=$(date +%s.%N); echo "belenios make-one-ballot $(echo "$e - $s" | bc)"
echo "belenios ballot-bytes $(wc -c < one-ballot.json)"
s=$(date +%s.%N); vote 2> /dev/null; echo "belenios cast-$N-ballots $(echo "$(date +%s.%N) - $s" | bc)"
s=$(date +%s.%N); belenios-tool election verify > /dev/null 2>&1; echo "belenios verify-$N-ballots $(echo "$(date +%s.%N) - $s" | bc)"
s=$(date +%s.%N); tally > /dev/null 2>&1; echo "belenios tally-2-of-3 $(echo "$(date +%s.%N) - $s" | bc)"
s=$(date +%s.%N); belenios-tool election verify > /dev/null 2>&1; echo "belenios verify-record $(echo "$(date +%s.%N) - $s" | bc)"
echo "belenios total $(echo "$(date +%s.%N) - $total_start" | bc)"
