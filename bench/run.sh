#!/usr/bin/env bash
# berpa's benchmark: full builds of a synthetic corpus with berpa and Hugo, output on a RAM disk
# and on the normal disk; a no-change rebuild; a one-record rebuild inside `berpa serve`.
# Prints a Markdown report and writes it to bench/results-<date>.md. See docs/benchmarks.md.
#
#   bench/run.sh                           N = 1000 10000 30000, 5 runs each
#   BENCH_NS="1000" BENCH_RUNS=3 bench/run.sh          a quick run
#
# Settings (environment):
#   BENCH_NS        sizes N (settlements; the corpus has 6N+7 records)   "1000 10000 30000"
#   BENCH_RUNS      timed runs per configuration (medians are reported)   5
#   BENCH_DIR       work folder: binaries, cached corpora, disk output     /tmp/berpa-bench
#   BENCH_SHM       RAM-disk folder for output                            /dev/shm/berpa-bench
#   BENCH_SEED      corpus seed                                           1
#   BENCH_LANGUAGES the corpus's languages: "en" (one page per record: the issue's 60,000
#                   record pages at N = 10,000) or "en,az" (two pages per record)      en
#   BENCH_TOOLS     generators to run                                     "berpa hugo"
#   BENCH_TARGETS   where output goes                                     "shm disk"
#   BENCH_TIMEOUT   seconds before one build is killed                    1200
#   BENCH_BUDGET    seconds per configuration after which no more runs start (at least one
#                   run is always made; the report says how many runs a median is of)   600
#   BENCH_WAIT_IDLE 1: before each configuration wait (at most BENCH_WAIT_MAX s) until the
#                   1-minute load average is below BENCH_IDLE_LOAD (others share the machine)
#   BENCH_IDLE_LOAD load average counted as idle                          0.8
#   BENCH_WAIT_MAX                                                        900
#   BENCH_SERVE     0: skip the serve measurement                         1
#   BENCH_SERVE_EDITS  edits timed inside serve                           = BENCH_RUNS
#   BENCH_OUT       report file                                           bench/results-<date>.md
#   BENCH_CHECK_MAX_N  `berpa check` the corpus after generating it up to this N       10000
#   BENCH_NO_BUILD  1: use $BENCH_DIR/bin/berpa as it is (no cargo build)
#   BENCH_RESUME    a raw results file of an earlier run ($BENCH_DIR/log/results.*): its
#                   measurements are kept, only the missing ones are made, and the report
#                   covers all of them (use with BENCH_NO_BUILD=1, so the binary is the same)
#   BENCH_MEM_MAX_MIB  a configuration whose projected peak memory (plus its output, on the RAM
#                   disk) exceeds this is skipped, projected linearly from the previous N: the
#                   machine is shared                                     60% of MemAvailable
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NS=${BENCH_NS:-"1000 10000 30000"}
RUNS=${BENCH_RUNS:-5}
WORK=${BENCH_DIR:-/tmp/berpa-bench}
SHM=${BENCH_SHM:-/dev/shm/berpa-bench}
SEED=${BENCH_SEED:-1}
LANGS=${BENCH_LANGUAGES:-en}
case $LANGS in
    en) LANG_TAG=en; LANG_NAMES="in English (one page per record)" ;;
    en,az) LANG_TAG=en-az; LANG_NAMES="in English and Azerbaijani (two pages per record)" ;;
    *) echo "bench: BENCH_LANGUAGES is en or en,az" >&2; exit 2 ;;
esac
TOOLS=${BENCH_TOOLS:-"berpa hugo"}
TARGETS=${BENCH_TARGETS:-"shm disk"}
TIMEOUT=${BENCH_TIMEOUT:-1200}
BUDGET=${BENCH_BUDGET:-600}
WAIT_IDLE=${BENCH_WAIT_IDLE:-0}
IDLE_LOAD=${BENCH_IDLE_LOAD:-0.8}
WAIT_MAX=${BENCH_WAIT_MAX:-900}
DO_SERVE=${BENCH_SERVE:-1}
SERVE_EDITS=${BENCH_SERVE_EDITS:-$RUNS}
MEM_MAX_MIB=${BENCH_MEM_MAX_MIB:-$(awk '/MemAvailable/ {printf "%d", $2*0.6/1024}' /proc/meminfo)}
DATE=$(date -u +%Y-%m-%d)
OUT_MD=${BENCH_OUT:-$REPO/bench/results-$DATE.md}

BIN=$WORK/bin
LOG=$WORK/log
mkdir -p "$BIN" "$LOG" "$WORK/corpus" "$WORK/out" "$SHM"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }

TIME_BIN=/usr/bin/time
[ -x "$TIME_BIN" ] || die "GNU time is needed for peak memory: apt-get install -y time"
HAVE_HUGO=0
if command -v hugo >/dev/null 2>&1; then HAVE_HUGO=1; fi

# ------------------------------------------------------------------------------------------
# Binaries: built once, then copied, so a rebuild in the repository during the run changes
# nothing.
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    say "bench: building berpa, gen_corpus and fs_floor (profile bench-fat: fat LTO)…"
    (cd "$REPO" && cargo build --profile bench-fat --quiet --bin berpa --example gen_corpus --example fs_floor) \
        || die "cargo build failed"
    cp "$REPO/target/bench-fat/berpa" "$BIN/berpa.new" && mv "$BIN/berpa.new" "$BIN/berpa"
    # What the binary was built from, for the report.
    (cd "$REPO" && git describe --always --dirty --abbrev=10 2>/dev/null || echo unknown) >"$BIN/berpa.rev"
    cp "$REPO/target/bench-fat/examples/gen_corpus" "$BIN/gen_corpus.new" \
        && mv "$BIN/gen_corpus.new" "$BIN/gen_corpus"
    cp "$REPO/target/bench-fat/examples/fs_floor" "$BIN/fs_floor.new" \
        && mv "$BIN/fs_floor.new" "$BIN/fs_floor"
fi
[ -x "$BIN/berpa" ] && [ -x "$BIN/gen_corpus" ] || die "no binaries in $BIN"

GEN_SUM=$(sha256sum "$REPO/examples/gen_corpus.rs" | cut -c1-16)
BERPA_SUM=$(sha256sum "$BIN/berpa" | cut -c1-12)
REV=$(cat "$BIN/berpa.rev" 2>/dev/null || echo unknown)

# ------------------------------------------------------------------------------------------
# Helpers

now_ns() { date +%s%N; }

# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "nan"; exit} if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
minmax() { sort -g | awk 'NR==1{lo=$1} {hi=$1} END {if (NR) printf "%s–%s", lo, hi; else print "–"}'; }
fmt() { awk -v x="$1" -v d="${2:-2}" 'BEGIN { if (x=="nan"||x=="") print "–"; else printf "%.*f", d, x }'; }

load1() { cut -d' ' -f1 /proc/loadavg; }

wait_idle() {
    [ "$WAIT_IDLE" = 1 ] || return 0
    local start=$SECONDS
    while awk -v l="$(load1)" -v m="$IDLE_LOAD" 'BEGIN{exit !(l>=m)}'; do
        if (( SECONDS - start > WAIT_MAX )); then
            say "bench: load still $(load1) after ${WAIT_MAX}s; measuring anyway"
            return 0
        fi
        sleep 10
    done
}

# run_timed LABEL OUTFILE CMD… : runs CMD under GNU time; appends "wall_s rss_kib user_s sys_s"
# to OUTFILE. Returns CMD's status.
run_timed() {
    local label=$1 file=$2; shift 2
    local tf="$LOG/time.$$" t0 t1 rc=0
    t0=$(now_ns)
    timeout "$TIMEOUT" "$TIME_BIN" -f "%M %U %S" -o "$tf" "$@" >"$LOG/$label.out" 2>"$LOG/$label.err" || rc=$?
    t1=$(now_ns)
    if [ "$rc" = 124 ]; then
        say "bench: $label timed out after ${TIMEOUT}s"
        return "$rc"
    elif [ "$rc" != 0 ]; then
        say "bench: $label failed (exit $rc); last lines of its output:"
        tail -n 15 "$LOG/$label.err" >&2 || true
        return "$rc"
    fi
    read -r rss us ss < <(tail -n 1 "$tf")
    awk -v a="$t0" -v b="$t1" -v r="$rss" -v u="$us" -v s="$ss" \
        'BEGIN { printf "%.4f %d %.2f %.2f\n", (b-a)/1e9, r, u, s }' >>"$file"
}

# ------------------------------------------------------------------------------------------
# Corpora, cached per N (regenerated when the generator's source or the seed changes)

# The corpus for N in the chosen languages.
corpus_dir() { echo "$WORK/corpus/n$1-$LANG_TAG"; }

corpus() {
    local n=$1 dir; dir=$(corpus_dir "$1")
    local stamp="gen=$GEN_SUM seed=$SEED n=$n languages=$LANGS"
    if [ -f "$dir/stamp" ] && [ "$(cat "$dir/stamp")" = "$stamp" ]; then
        return 0
    fi
    say "bench: generating the corpus for N = $n…"
    rm -f "$dir/stamp"
    mkdir -p "$dir"
    "$BIN/gen_corpus" --n "$n" --seed "$SEED" --languages "$LANGS" --out "$dir/berpa" --hugo "$dir/hugo" \
        2>"$LOG/gen-$n.err" || { cat "$LOG/gen-$n.err" >&2; die "gen_corpus failed"; }
    # The corpus must be valid: no errors. (Checked up to BENCH_CHECK_MAX_N: a check costs as
    # much memory as a build, and the generator is the same code for every N.)
    if (( n <= ${BENCH_CHECK_MAX_N:-10000} )) && ! "$BIN/berpa" check --root "$dir/berpa" --quiet >/dev/null 2>"$LOG/check-$n.err"; then
        cat "$LOG/check-$n.err" >&2
        die "berpa check found errors in the N = $n corpus"
    fi
    echo "$stamp" >"$dir/stamp"
}

out_dir() { # tool target n
    case $2 in
        shm) echo "$SHM/$1-n$3" ;;
        disk) echo "$WORK/out/$1-n$3" ;;
    esac
}

build_cmd() { # tool n outdir
    local src; src=$(corpus_dir "$2")
    case $1 in
        berpa) echo "$BIN/berpa build --root $src/berpa --output $3 --quiet" ;;
        hugo) echo "hugo --source $src/hugo --destination $3 --quiet" ;;
    esac
}

# snapshot DIR: one line per file: inode, mtime, path
snapshot() { (cd "$1" && find . -type f -printf '%i %T@ %p\n' | sort -k3); }

# ------------------------------------------------------------------------------------------
# The measurements. Results go into $RES as lines:
#   full TOOL TARGET N RUNS wall_med wall_range rss_med_kib cpu_med files bytes load_before
#   noop TARGET N RUNS wall_med rss_med rewritten total
#   floor TARGET N RUNS read_wall_med read_cpu_med write_wall_med write_cpu_med files bytes
#   serve N EDITS e2e_med e2e_range millis_med notes

RES=${BENCH_RESUME:-$LOG/results.$$}
[ -n "${BENCH_RESUME:-}" ] || : >"$RES"
have() { grep -q "^$1 " "$RES"; }

# projected TOOL TARGET N: prints the projected peak RSS plus RAM-disk output (MiB) from the
# largest smaller N measured, or 0 when there is none.
projected() {
    awk -v tool="$1" -v t="$2" -v n="$3" '
        $1=="full" && $2==tool && $3==t && $4+0<n+0 && $5+0>0 && $4+0>best {
            best=$4; rss=$8; bytes=$11 }
        END { if (!best) { print 0; exit }
              m = rss/1024 + (t=="shm" ? bytes/1048576 : 0)
              printf "%.0f", m * n / best }' "$RES"
}

measure_full() { # tool target n
    local tool=$1 target=$2 n=$3
    local out; out=$(out_dir "$tool" "$target" "$n")
    local cmd; cmd=$(build_cmd "$tool" "$n" "$out")
    local f="$LOG/full-$tool-$target-$n" label="$tool-$target-$n"
    if have "full $tool $target $n"; then say "bench: $label: kept from $RES"; return 0; fi
    : >"$f"
    local proj; proj=$(projected "$tool" "$target" "$n")
    if (( proj > MEM_MAX_MIB )); then
        say "bench: $label skipped: projected ${proj} MiB of memory (peak RSS, plus output on the RAM disk) > ${MEM_MAX_MIB} MiB"
        echo "full $tool $target $n 0 nan skipped:${proj}MiB 0 nan 0 0 $(load1)" >>"$RES"
        return 0
    fi
    wait_idle
    local lb; lb=$(load1)
    # One untimed warm-up build (the corpus in the page cache, as in an editor session). A
    # warm-up longer than a minute counts as the first timed run: caching is noise there.
    rm -rf "$out"
    local w="$LOG/warmup-$label" rc=0
    : >"$w"
    # shellcheck disable=SC2086
    run_timed "$label-warmup" "$w" $cmd || rc=$?
    if [ "$rc" != 0 ]; then
        local why=failed
        [ "$rc" = 124 ] && why=timeout
        echo "full $tool $target $n 0 nan $why 0 nan 0 0 $lb" >>"$RES"
        rm -rf "$out"
        return 0
    fi
    if awk -v w="$(cut -d' ' -f1 "$w")" 'BEGIN{exit !(w>60)}'; then
        cat "$w" >>"$f"
    fi
    local start=$SECONDS i
    for ((i = $(wc -l <"$f") + 1; i <= RUNS; i++)); do
        if (( SECONDS - start > BUDGET )); then break; fi
        rm -rf "$out"
        sync
        # shellcheck disable=SC2086
        run_timed "$label-$i" "$f" $cmd || break
    done
    local runs; runs=$(wc -l <"$f")
    local files bytes
    files=$(find "$out" -type f | wc -l)
    bytes=$(find "$out" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f", s}')
    echo "full $tool $target $n $runs $(cut -d' ' -f1 "$f" | median) $(cut -d' ' -f1 "$f" | minmax) \
$(cut -d' ' -f2 "$f" | median) $(awk '{print $3+$4}' "$f" | median) $files $bytes $lb" >>"$RES"
    say "bench: $label: median $(cut -d' ' -f1 "$f" | median) s over $runs run(s), peak $(cut -d' ' -f2 "$f" | median) KiB (load before: $lb)"
    # The berpa output stays for the no-change rebuild; Hugo's goes.
    [ "$tool" = berpa ] || rm -rf "$out"
}

# The file system's floor (after measure_full berpa, whose output is still there): only reading
# the content files and writing a copy of berpa's output (same folders, names, bytes) beside it,
# on all cores, by examples/fs_floor.rs. No build can take less than this on this machine.
measure_floor() { # target n
    local target=$1 n=$2
    local out; out=$(out_dir berpa "$target" "$n")
    if have "floor $target $n" || [ ! -d "$out" ] || [ ! -x "$BIN/fs_floor" ]; then return 0; fi
    # It holds the output in memory and writes a second copy (on the RAM disk: more memory).
    local mib; mib=$(find "$out" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s/1048576}')
    local need=$mib; [ "$target" = shm ] && need=$((2 * mib))
    if (( need > MEM_MAX_MIB )); then say "bench: floor ($target, N = $n) skipped: ${need} MiB"; return 0; fi
    wait_idle
    local f="$LOG/floor-$target-$n"
    "$BIN/fs_floor" --content "$(corpus_dir "$n")/berpa/content" --site "$out" \
        --out "$(dirname "$out")/floor-n$n" --runs "$RUNS" >"$f" 2>"$f.err" \
        || { say "bench: fs_floor failed:"; cat "$f.err" >&2; return 0; }
    col() { awk -v k="$1" -v c="$2" '$1==k {print $c}' "$f" | median; }
    echo "floor $target $n $(grep -c '^write ' "$f") $(col read 4) $(col read 5) $(col write 4) $(col write 5) \
$(awk '$1=="write" {print $2; exit}' "$f") $(awk '$1=="write" {print $3; exit}' "$f")" >>"$RES"
    say "bench: floor ($target, N = $n): read $(col read 4) s, write $(col write 4) s"
}

# noop_runs KIND TARGET N OUT CMD…: timed rebuilds into OUT; counts the files the first one
# rewrote (a file counts as rewritten when its inode or mtime changed, or it is new).
noop_runs() {
    local kind=$1 target=$2 n=$3 out=$4; shift 4
    local f="$LOG/$kind-$target-$n"
    : >"$f"
    local before after=""
    before=$(snapshot "$out")
    sleep 1.1 # so a rewritten file gets a different mtime even on coarse clocks
    local start=$SECONDS i
    for ((i = 1; i <= RUNS; i++)); do
        if (( i > 1 && SECONDS - start > BUDGET )); then break; fi
        [ "$kind" = edit ] && printf '# bench: an edit that changes no output (%s)\n' "$i" >>"$EDIT_FILE"
        run_timed "$kind-$target-$n-$i" "$f" "$@" || break
        if [ "$i" = 1 ]; then after=$(snapshot "$out"); fi
    done
    local total rewritten
    total=$(printf '%s\n' "$before" | wc -l)
    local changed
    changed=$(join -1 3 -2 3 -a 2 -e X -o 0,1.1,1.2,2.1,2.2 \
        <(printf '%s\n' "$before") <(printf '%s\n' "$after") \
        | awk '$2!=$4 || $3!=$5 {sub(/^\.\//, "", $1); print $1}')
    rewritten=$(printf '%s' "$changed" | grep -c . || true)
    local names; names=$(printf '%s\n' "$changed" | head -n 3 | paste -sd, -)
    [ "$rewritten" -gt 3 ] && names="$names,…"
    echo "$kind $target $n $(wc -l <"$f") $(cut -d' ' -f1 "$f" | median) $(cut -d' ' -f2 "$f" | median) $rewritten $total ${names:--}" >>"$RES"
    say "bench: $kind rebuild ($target, N = $n): median $(cut -d' ' -f1 "$f" | median) s; $rewritten of $total files rewritten"
}

EDIT_FILE=""
EDIT_BACKUP=""
restore_edit() {
    if [ -n "$EDIT_BACKUP" ] && [ -f "$EDIT_BACKUP" ]; then
        cp "$EDIT_BACKUP" "$EDIT_FILE" && rm -f "$EDIT_BACKUP"
    fi
    EDIT_BACKUP=""
}
trap restore_edit EXIT

measure_noop() { # target n   (after measure_full berpa, whose output is still there)
    local target=$1 n=$2
    local out; out=$(out_dir berpa "$target" "$n")
    local cmd; cmd=$(build_cmd berpa "$n" "$out")
    if have "noop $target $n" && have "edit $target $n"; then rm -rf "$out"; return 0; fi
    # The full build's output, or (when it was kept from an earlier run) a new one, untimed.
    if [ ! -d "$out" ]; then
        awk -v t="$target" -v n="$n" '$1=="full" && $2=="berpa" && $3==t && $4==n && $5>0 {ok=1} END {exit !ok}' "$RES" || return 0
        # shellcheck disable=SC2086
        run_timed "noop-setup-$target-$n" /dev/null $cmd || return 0
    fi
    wait_idle
    # 1. Nothing changed.
    # shellcheck disable=SC2086
    have "noop $target $n" || noop_runs noop "$target" "$n" "$out" $cmd
    # 2. One record edited in a way that changes no output file (a YAML comment): everything
    #    is loaded and rendered again, and compared before writing.
    EDIT_FILE="$(corpus_dir "$n")/berpa/content/roads/r000001.yaml"
    EDIT_BACKUP="$LOG/edit-backup.yaml"
    if ! have "edit $target $n"; then
        cp "$EDIT_FILE" "$EDIT_BACKUP"
        # shellcheck disable=SC2086
        noop_runs edit "$target" "$n" "$out" $cmd
        restore_edit
    fi
    rm -rf "$out"
}

measure_serve() { # n
    local n=$1
    if have "serve $n"; then return 0; fi
    # serve holds the last good site in memory while it builds the next one: a build's peak
    # plus the site.
    local peak; peak=$(awk -v n="$n" '$1=="full" && $2=="berpa" && $4==n && $5>0 {print int($8/1024 + $11/1048576); exit}' "$RES")
    if awk -v n="$n" '$1=="full" && $2=="berpa" && $4==n && $5==0 {f=1} END {exit !f}' "$RES"; then
        echo "serve $n 0 nan – nan skipped:no-full-build-at-this-N" >>"$RES"
        say "bench: serve (N = $n) skipped: berpa's full build at this N was not measured"
        return 0
    fi
    if [ -n "$peak" ] && (( peak > MEM_MAX_MIB )); then
        echo "serve $n 0 nan – nan skipped:projected-${peak}MiB-(build-peak+site)>${MEM_MAX_MIB}MiB" >>"$RES"
        say "bench: serve (N = $n) skipped: projected ${peak} MiB > ${MEM_MAX_MIB} MiB"
        return 0
    fi
    if ! "$BIN/berpa" serve --help >/dev/null 2>&1; then
        echo "serve $n 0 nan – nan not-available" >>"$RES"
        say "bench: berpa serve is not available in this build; skipped"
        return 0
    fi
    command -v python3 >/dev/null || { echo "serve $n 0 nan – nan no-python3" >>"$RES"; return 0; }
    # Serve works on a copy, so the cached corpus is never edited.
    local site="$WORK/serve-n$n"
    rm -rf "$site"
    cp -r "$(corpus_dir "$n")/berpa" "$site"
    wait_idle
    local slog="$LOG/serve-$n.log"
    "$BIN/berpa" serve --root "$site" --port 0 --quiet >"$slog.out" 2>"$slog.err" &
    local pid=$!
    local line
    python3 - "$site" "$slog.out" "$SERVE_EDITS" "$TIMEOUT" >>"$RES" <<'PY' || true
import json, os, re, statistics, sys, time, urllib.request
site, outlog, edits, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
n = os.path.basename(site).split("-n")[-1]
def fail(why):
    print(f"serve {n} 0 nan – nan {why}")
    sys.exit(0)
url = None
t_end = time.time() + 60
while time.time() < t_end and not url:
    m = re.search(r"at (http://\S+)", open(outlog).read())
    url = m and m.group(1)
    time.sleep(0.05)
if not url:
    fail("no-address")
status_url = url.rstrip("/") + "/__berpa/status"
def status():
    with urllib.request.urlopen(status_url, timeout=10) as r:
        return json.load(r)
t_end = time.time() + timeout
st = None
while time.time() < t_end:
    try:
        st = status()
        if st.get("site", 0) > 0:
            break
    except Exception:
        pass
    time.sleep(0.05)
if not st or st.get("site", 0) == 0:
    fail("first-build-failed")
first_ms = st.get("millis")
rec = os.path.join(site, "content", "cities", "s000001.md")
orig = open(rec, encoding="utf-8").read()
e2e, millis, changed = [], [], []
for i in range(edits):
    time.sleep(0.5)
    before = status()["site"]
    with open(rec, "w", encoding="utf-8") as f:
        f.write(orig + f"\nBenchmark edit {i + 1}.\n")
    t0 = time.perf_counter()
    while True:
        st = status()
        if st["site"] != before:
            break
        if time.perf_counter() - t0 > timeout:
            fail("no-rebuild")
        time.sleep(0.002)
    e2e.append((time.perf_counter() - t0) * 1000)
    millis.append(st.get("millis", float("nan")))
    changed.append(st.get("changed_count", -1))
with open(rec, "w", encoding="utf-8") as f:
    f.write(orig)
med = statistics.median
print(f"serve {n} {edits} {med(e2e):.0f} {min(e2e):.0f}–{max(e2e):.0f} {med(millis):.0f} "
      f"first-build-ms={first_ms};changed-files={med(changed):.0f}")
PY
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    line=$(grep "^serve $n " "$RES" | tail -n 1)
    say "bench: serve (N = $n): $line"
    rm -rf "$site"
}

# ------------------------------------------------------------------------------------------
# Run

for n in $NS; do
    corpus "$n"
    for target in $TARGETS; do
        for tool in $TOOLS; do
            if [ "$tool" = hugo ] && [ "$HAVE_HUGO" = 0 ]; then continue; fi
            measure_full "$tool" "$target" "$n"
            if [ "$tool" = berpa ]; then
                measure_floor "$target" "$n"
                measure_noop "$target" "$n"
            fi
        done
    done
    if [ "$DO_SERVE" = 1 ]; then measure_serve "$n"; fi
done

# ------------------------------------------------------------------------------------------
# Report

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
disk_fs=$(df -T "$WORK/out" | awk 'NR==2 {print $2 " on " $1}')
hugo_v=$( [ "$HAVE_HUGO" = 1 ] && hugo version | head -n 1 || echo "not installed")

{
echo "# berpa benchmark results, $DATE"
echo
echo "Produced by \`bench/run.sh\` (see docs/benchmarks.md)."
echo
echo "- Machine: $(nproc) CPUs ($cpu_model, family $(awk -F': ' '/^cpu family/ {print $2; exit}' /proc/cpuinfo) model $(awk -F': ' '/^model\t/ {print $2; exit}' /proc/cpuinfo)$(grep -q hypervisor /proc/cpuinfo && echo ', virtual machine')), $mem RAM, kernel $(uname -r)"
echo "- Disk output: \`$WORK/out\` ($disk_fs); RAM-disk output: \`$SHM\` (tmpfs)"
echo "- berpa: git \`$REV\` (binary sha256 \`$BERPA_SUM…\`), $(rustc --version 2>/dev/null || echo 'rustc ?')"
echo "- Hugo: $hugo_v"
echo "- Corpus: \`examples/gen_corpus.rs\` (source sha256 \`$GEN_SUM…\`), seed $SEED; N settlements, 2N roads, 3N projects, 4 partners, 1 source, 2 indicators = 6N+7 records, $LANG_NAMES (\`--languages $LANGS\`)"
echo "- Method: per configuration one untimed warm-up build (counted as the first run when it takes over a minute), then up to $RUNS timed builds (fewer when one configuration passes ${BUDGET} s), each into a removed output folder; wall time by \`date +%s%N\` around the process, peak memory (max RSS) and CPU time by GNU \`time\`; medians. The load average before each configuration is shown: other work on the machine slows the wall times."
echo
echo "## Full builds"
echo
echo "| N | records | generator | output | runs | wall median (s) | range (s) | µs / record (wall ÷ 6N) | peak RSS (MiB) | CPU user+sys (s) | files | output (MiB) | load before |"
echo "|---:|---:|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|"
grep '^full ' "$RES" | while read -r _ tool target n runs wall range rss cpu files bytes lb; do
    recs=$((6 * n + 7))
    if [ "$runs" = 0 ]; then
        case $range in
            timeout) why="timed out after ${TIMEOUT} s" ;;
            skipped:*) why="skipped: projected ${range#skipped:} of memory" ;;
            *) why="failed (see $LOG)" ;;
        esac
        echo "| $n | $recs | $tool | $target | 0 | $why | | | | | | | $lb |"
        continue
    fi
    range=$(echo "$range" | awk -F'–' '{printf "%.2f–%.2f", $1, $2}')
    echo "| $n | $recs | $tool | $target | $runs | $(fmt "$wall" 3) | $range | $(awk -v w="$wall" -v n="$n" 'BEGIN{ printf "%.0f", w*1e6/(6*n) }') | $(awk -v k="$rss" 'BEGIN{printf "%.0f", k/1024}') | $(fmt "$cpu" 2) | $files | $(awk -v b="$bytes" 'BEGIN{printf "%.0f", b/1048576}') | $lb |"
done
echo
echo "## berpa / Hugo (same run)"
echo
echo "| N | output | berpa (s) | Hugo (s) | berpa ÷ Hugo | Hugo ÷ berpa (target ≥ 3) |"
echo "|---:|---|---:|---:|---:|---:|"
for n in $NS; do for target in $TARGETS; do
    b=$(awk -v n="$n" -v t="$target" '$1=="full" && $2=="berpa" && $3==t && $4==n {print $6}' "$RES")
    h=$(awk -v n="$n" -v t="$target" '$1=="full" && $2=="hugo" && $3==t && $4==n {print $6}' "$RES")
    [ -n "$b" ] && [ -n "$h" ] || continue
    [ "$b" != nan ] && [ "$h" != nan ] || continue
    echo "| $n | $target | $(fmt "$b" 3) | $(fmt "$h" 3) | $(awk -v b="$b" -v h="$h" 'BEGIN{ if (b=="nan"||h=="nan") print "–"; else printf "%.2f", b/h }') | $(awk -v b="$b" -v h="$h" 'BEGIN{ if (b=="nan"||h=="nan"||b==0) print "–"; else printf "%.2f", h/b }') |"
done; done
echo
echo "## Linearity (berpa, time per record)"
echo
first_n=$(echo "$NS" | awk '{print $1}')
echo "| N | output | µs / record | vs N = $first_n |"
echo "|---:|---|---:|---:|"
for target in $TARGETS; do
    base=$(awk -v n="$first_n" -v t="$target" '$1=="full" && $2=="berpa" && $3==t && $4==n && $6!="nan" {print $6/(6*n)}' "$RES")
    for n in $NS; do
        w=$(awk -v n="$n" -v t="$target" '$1=="full" && $2=="berpa" && $3==t && $4==n {print $6}' "$RES")
        [ -n "$w" ] && [ "$w" != nan ] || continue
        echo "| $n | $target | $(awk -v w="$w" -v n="$n" 'BEGIN{ printf "%.0f", w*1e6/(6*n)}') | $(awk -v w="$w" -v n="$n" -v b="$base" 'BEGIN{ if (b==""||b==0) print "–"; else { v=(w/(6*n)/b-1)*100; if (v>-0.5 && v<0.5) v=0; printf "%+.0f%%", v } }') |"
    done
done
echo
echo "## The file system's floor"
echo
echo "Only reading the content files and writing a copy of berpa's output of the same run (the same folders, names and bytes), on all cores, doing nothing else (\`examples/fs_floor.rs\`): no build of this site can take less on this machine. \"berpa's own\" is berpa's median minus the two."
echo
echo "| N | output | runs | read (s) | read CPU (s) | write (s) | write CPU (s) | files written | berpa (s) | berpa's own (s) |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
grep '^floor ' "$RES" | while read -r _ target n runs rw rc ww wc files bytes; do
    b=$(awk -v n="$n" -v t="$target" '$1=="full" && $2=="berpa" && $3==t && $4==n {print $6}' "$RES")
    echo "| $n | $target | $runs | $(fmt "$rw" 3) | $(fmt "$rc" 2) | $(fmt "$ww" 3) | $(fmt "$wc" 2) | $files | $(fmt "$b" 3) | $(awk -v b="$b" -v r="$rw" -v w="$ww" 'BEGIN{ if (b==""||b=="nan") print "–"; else printf "%.3f", b-r-w }') |"
done
echo
echo "## Rebuilds into the same output folder (berpa)"
echo
echo "\"nothing changed\": the same build again. \"edit, same output\": a comment added to one record (\`content/roads/r000001.yaml\`) before each build, so the input differs but no output file does. Files rewritten: by the first such build (inode or mtime changed, or new)."
echo
echo "| N | output | rebuild | runs | wall median (s) | share of full build (target ≤ 25%) | peak RSS (MiB) | files rewritten |"
echo "|---:|---|---|---:|---:|---:|---:|---|"
grep -E '^(noop|edit) ' "$RES" | while read -r kind target n runs wall rss rewritten total names; do
    full=$(awk -v n="$n" -v t="$target" '$1=="full" && $2=="berpa" && $3==t && $4==n {print $6}' "$RES")
    what="nothing changed"; [ "$kind" = edit ] && what="edit, same output"
    echo "| $n | $target | $what | $runs | $(fmt "$wall" 3) | $(awk -v w="$wall" -v f="$full" 'BEGIN{ if (f==""||f=="nan"||f==0||w=="nan") print "–"; else printf "%.0f%%", w/f*100 }') | $(awk -v k="$rss" 'BEGIN{printf "%.0f", k/1024}') | $rewritten of $total$( [ "$names" != - ] && printf ' (%s)' "${names//,/, }") |"
done
echo
echo "## One changed record inside \`berpa serve\`"
echo
if grep -q '^serve ' "$RES"; then
    echo "Edit of \`content/cities/s000001.md\`, timed from the write to \`/__berpa/status\` reporting a new site (end to end: file-watch debounce + serve's work + polling). serve shows the edited record's new pages first and builds the rest of the site behind them; \"build\" is serve's own time to that first new site (\`millis\`)."
    echo
    echo "| N | edits | end to end median (ms) | range (ms) | build median (ms) | notes |"
    echo "|---:|---:|---:|---|---:|---|"
    grep '^serve ' "$RES" | while read -r _ n edits e2e range ms notes; do
        if [ "$edits" = 0 ]; then
            case $notes in
                skipped:*) echo "| $n | – | – | – | – | skipped: $(echo "${notes#skipped:}" | tr '-' ' ') |" ;;
                *) echo "| $n | – | – | – | – | not available ($notes) |" ;;
            esac
        else
            echo "| $n | $edits | $e2e | $range | $ms | $notes |"
        fi
    done
else
    echo "Not measured (BENCH_SERVE=0)."
fi
} >"$OUT_MD.tmp"
mv "$OUT_MD.tmp" "$OUT_MD"
cat "$OUT_MD"
say "bench: report written to $OUT_MD (raw figures in $RES)"
