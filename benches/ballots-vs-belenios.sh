#!/usr/bin/env bash
# Verifiable ballots, side by side with Belenios in one run (BENCHMARKS.md):
#
#   benches/ballots-vs-belenios.sh [BALLOTS]        (default 1000)
#
# Runs `cargo bench -p anjoman-ballot-crypto --bench ballots`, the browser-side encryption bench
# (Vitest, V8) and `benches/belenios.sh` on the same election shape ("up to 3 of 10", 2-of-3
# trustees, BALLOTS ballots), then prints the ratios. Needs belenios-tool (Debian's package).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
BALLOTS=$N cargo bench --quiet -p anjoman-ballot-crypto --bench ballots 2>/dev/null | tee -a "$out"
(cd web-client && NO_COLOR=1 npx vitest bench --run src/lib/ballot 2>/dev/null) | grep -E '^ +· ' | sed -E 's/^ +· //'
benches/belenios.sh "$N" 2>/dev/null | tee -a "$out"
python3 - "$out" "$N" <<'PY'
import sys
figures = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) >= 3 and parts[0] in ("anjoman", "belenios"):
        figures[(parts[0], parts[1])] = float(parts[2])
n = sys.argv[2]
a = lambda k: figures[("anjoman", k)]
b = lambda k: figures[("belenios", k)]
verify_one_belenios_ms = b(f"verify-{n}-ballots") * 1000 / int(n)
print()
print(f"verify one ballot: anjoman {a('verify-one-ballot'):.2f} ms, belenios {verify_one_belenios_ms:.1f} ms -> {verify_one_belenios_ms / a('verify-one-ballot'):.0f}x faster")
print(f"bytes per ballot: anjoman {a('ballot-bytes'):.0f}, belenios {b('ballot-bytes'):.0f} -> {a('ballot-bytes') / b('ballot-bytes'):.2f} of it")
print(f"{n}-ballot pipeline: anjoman {a('total'):.1f} s, belenios {b('total'):.1f} s")
PY
