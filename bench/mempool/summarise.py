#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Summarise the memory pool benchmark: medians, spread (min..max) and
ratios to mimalloc, per linking (so: shared libraries through the PLT;
static: static archives in -static executables), the goals, the noise and
the machine load. Reads OUT/mempool-raw.csv, OUT/mempool-load.txt and
OUT/mempool-na.txt; writes OUT/mempool.csv, OUT/mempool-summary.md and
OUT/mempool-bench.png.
Usage: summarise.py OUT_DIR"""
import csv, os, statistics, subprocess, sys, tempfile

out = sys.argv[1]
raw = os.path.join(out, "mempool-raw.csv")
ALLOCS = ["ddeos", "seed", "glibc", "jemalloc", "tcmalloc", "mimalloc"]
LINKS = [("so", "shared libraries, called through the PLT"),
         ("static", "static archives, -static executables")]
PAIRS = ["pair-16", "pair-64", "pair-256", "pair-1024", "pair-4096"]
WORK = PAIRS + ["prodcons", "larson", "retained-stop", "retained-peak",
                "retained-idle"]

# The two-thread workloads come with WORKLOAD-share: the smaller share of
# wall time the two threads had their CPU. Runs at or above CLEAN % were
# not disturbed by other processes; when at least 3 runs of a cell are
# clean, only those count (a descheduled thread makes prodcons slower and
# larson *faster*: a thread alone frees only its own objects).
CLEAN = 90.0
rows = []
with open(raw) as f:
    for row in csv.DictReader(f):
        rows.append(row)
share = {(r["run"], r["link"], r["allocator"], r["workload"][:-6]):
         float(r["value"]) for r in rows if r["workload"].endswith("-share")}
vals, allvals, units, clean = {}, {}, {}, {}
for row in rows:
    key = (row["link"], row["allocator"], row["workload"])
    allvals.setdefault(key, []).append(float(row["value"]))
    units[row["workload"]] = row["unit"]
for key, v in allvals.items():
    l, a, wk = key
    sh = [share.get((r["run"], l, a, wk)) for r in rows
          if (r["link"], r["allocator"], r["workload"]) == key]
    if any(x is not None for x in sh):
        good = [x for x, y in zip(v, sh) if y is not None and y >= CLEAN]
        clean[key] = (len(good), len(v))
        vals[key] = good if len(good) >= 3 else v
    else:
        vals[key] = v
na = {}
try:
    with open(os.path.join(out, "mempool-na.txt")) as f:
        for line in f:
            a, l, why = line.rstrip("\n").split(",", 2)
            na[(l, a)] = why
except FileNotFoundError:
    pass
try:
    with open(os.path.join(out, "mempool-load.txt")) as f:
        load = f.read().strip().splitlines()
except FileNotFoundError:
    load = []

med = {k: statistics.median(v) for k, v in vals.items()}
rounds = len(set(r["run"].split(".")[0] for r in rows))
subruns = max((len(v) for v in allvals.values()), default=0) // max(rounds, 1)


def spread(k):
    v = vals[k]
    m = med[k]
    return (max(v) - min(v)) / m * 100 if m > 0 else 0.0


with open(os.path.join(out, "mempool.csv"), "w") as f:
    w = csv.writer(f)
    w.writerow(["link", "workload", "unit", "allocator", "runs", "median",
                "min", "max", "spread_pct", "ratio_to_mimalloc",
                "clean_runs"])
    extra = sorted(set(k[2] for k in vals) - set(WORK))
    for l, _ in LINKS:
        for wk in WORK + extra:
            for a in ALLOCS:
                k = (l, a, wk)
                if k not in vals:
                    continue
                mm = med.get((l, "mimalloc", wk))
                ratio = "%.2f" % (med[k] / mm) if mm else ""
                w.writerow([l, wk, units[wk], a, len(vals[k]),
                            "%.2f" % med[k], "%.2f" % min(vals[k]),
                            "%.2f" % max(vals[k]),
                            "%.1f" % spread(k) if units[wk] == "ns" else "",
                            ratio, clean[k][0] if k in clean else ""])


def cell(l, a, wk):
    k = (l, a, wk)
    if k not in vals:
        return "n/a" if (l, a) in na else "-"
    m = med[k]
    mark = ""
    if k in clean and clean[k][0] < 3:
        mark = " *"
    if units[wk] == "KiB":
        return "%.0f [%.0f..%.0f]" % (m, min(vals[k]), max(vals[k]))
    mm = med.get((l, "mimalloc", wk))
    r = " (x%.2f)" % (m / mm) if mm else ""
    return "%.1f [%.1f..%.1f]%s%s" % (m, min(vals[k]), max(vals[k]), r, mark)


def get(l, a, wk):
    return med.get((l, a, wk))


# The machine's speed for cross-CPU work changes over tens of seconds (the
# host's placement of the two vCPUs: prodcons at 12 or at 50 ns for ddeos),
# so a ratio is also taken round by round: a's median over the round's
# (clean) sub-runs over b's, then the median and range over the rounds.
def round_ratio(l, a, b, wk):
    def per_round(x):
        d = {}
        for r in rows:
            if (r["link"], r["allocator"], r["workload"]) != (l, x, wk):
                continue
            sh = share.get((r["run"], l, x, wk))
            if sh is not None and sh < CLEAN and clean.get((l, x, wk), (0,))[0] >= 3:
                continue
            d.setdefault(r["run"].split(".")[0], []).append(float(r["value"]))
        return {k: statistics.median(v) for k, v in d.items()}
    pa, pb = per_round(a), per_round(b)
    q = [pa[k] / pb[k] for k in pa if k in pb and pb[k] > 0]
    if not q:
        return None
    return statistics.median(q), min(q), max(q)


def rr_text(l, a, b, wk, invert=False):
    q = round_ratio(l, a, b, wk)
    if not q:
        return ""
    m, lo, hi = q
    if invert:
        return "; round by round %.2fx [%.2f..%.2f]" % (1 / m, 1 / hi, 1 / lo)
    return "; round by round x%.2f [%.2f..%.2f]" % (m, lo, hi)


md = []
for l, title in LINKS:
    md.append("### Linked as %s (`%s`)\n" % (title, l))
    md.append("| workload | " + " | ".join(ALLOCS) + " |")
    md.append("|---" * (len(ALLOCS) + 1) + "|")
    for wk in WORK:
        md.append("| %s (%s) | " % (wk, units.get(wk, "?")) +
                  " | ".join(cell(l, a, wk) for a in ALLOCS) + " |")
    md.append("")
    for wk in ("prodcons", "larson"):
        cc = ["%s %d/%d" % (a, *clean[(l, a, wk)]) for a in ALLOCS
              if (l, a, wk) in clean]
        if cc:
            md.append("%s, runs in which both threads had their CPU at least "
                      "%.0f%% of the time (only those count when there are 3 "
                      "or more; * = fewer, all runs count): %s.  " %
                      (wk, CLEAN, ", ".join(cc)))
    for (nl, a), why in sorted(na.items()):
        if nl == l:
            md.append("n/a: %s: %s.  " % (a, why))
    md.append("")
md.append("median [min..max] over %d rounds (prodcons and larson: %d "
          "sub-runs per round, the clean ones); (xR) = median / mimalloc's "
          "median with the same linking, lower is better. Retained memory in "
          "KiB (resident set growth; see the method)." % (rounds, subruns))
md.append("")

# Goals, each linking.
md.append("### Goals\n")
md.append("| goal | " + " | ".join("`%s`" % l for l, _ in LINKS) + " |")
md.append("|---" * (len(LINKS) + 1) + "|")


def goal_row(label, fn):
    md.append("| %s | " % label + " | ".join(fn(l) for l, _ in LINKS) + " |")


def pair_goal(l):
    parts = []
    for wk in PAIRS:
        d, m, t = get(l, "ddeos", wk), get(l, "mimalloc", wk), get(l, "tcmalloc", wk)
        if d is None or m is None:
            return "n/a"
        parts.append("%s: %.1f vs %.1f %s (tcmalloc %.1f)%s" %
                     (wk[5:], d, m, "met" if d <= m else "**not met**",
                      t if t is not None else float("nan"),
                      rr_text(l, "ddeos", "mimalloc", wk)))
    return "<br>".join(parts)


def prodcons_goal(l):
    d, m = get(l, "ddeos", "prodcons"), get(l, "mimalloc", "prodcons")
    if d is None or m is None:
        return "n/a"
    x = m / d
    return "%.1f vs %.1f ns: %.2fx mimalloc's throughput, %s%s" % (
        d, m, x, "met" if x >= 2 else "**not met**",
        rr_text(l, "ddeos", "mimalloc", "prodcons", invert=True))


def larson_goal(l):
    d, j = get(l, "ddeos", "larson"), get(l, "jemalloc", "larson")
    if d is None or j is None:
        return "n/a"
    return "%.1f vs %.1f ns (x%.2f), %s%s" % (
        d, j, d / j, "met" if d <= j else "**not met**",
        rr_text(l, "ddeos", "jemalloc", "larson"))


def retained_goal(l):
    s, p, i = (get(l, "ddeos", "retained-" + x) for x in ("stop", "peak", "idle"))
    if s is None:
        return "n/a"
    return "stop %.0f, peak %.0f, after 50 ms %.0f KiB" % (s, p, i)


goal_row("same-CPU pair <= mimalloc (ns)", pair_goal)
goal_row("prodcons >= 2x mimalloc", prodcons_goal)
goal_row("larson <= jemalloc", larson_goal)
goal_row("retention bounded in time (ddeos)", retained_goal)
md.append("")

# Noise: the full spread (max-min)/median shows the outliers (a spinning
# thread descheduled), the interquartile range (p75-p25)/median how much the
# bulk of the runs moves.
def iqr(k):
    v = sorted(vals[k])
    if len(v) < 4 or med[k] <= 0:
        return spread(k)
    q = statistics.quantiles(v, n=4)
    return (q[2] - q[0]) / med[k] * 100


md.append("### Noise\n")
for l, _ in LINKS:
    keys = [k for k in vals if k[0] == l and k[2] in WORK and units[k[2]] == "ns"]
    if not keys:
        continue
    sp = sorted((spread(k), k) for k in keys)
    iq = sorted((iqr(k), k) for k in keys)
    md.append("- `%s`, timed cells: (max-min)/median median %.0f%%, largest "
              "%.0f%% (%s %s); interquartile range/median median %.0f%%, "
              "largest %.0f%% (%s %s)." %
              (l, statistics.median(x for x, _ in sp), sp[-1][0],
               sp[-1][1][1], sp[-1][1][2],
               statistics.median(x for x, _ in iq), iq[-1][0],
               iq[-1][1][1], iq[-1][1][2]))
    for group, test in (("pairs", lambda w: w.startswith("pair")),
                        ("prodcons", lambda w: w == "prodcons"),
                        ("larson", lambda w: w == "larson")):
        g = [iqr(k) for k in keys if test(k[2])]
        if g:
            md.append("  - %s: interquartile range/median %.0f%% to %.0f%%"
                      % (group, min(g), max(g)))
md.append("")
if load:
    rounds = [x for x in load if x.startswith("round ")]
    other = [x.strip() for x in load if not x.startswith("round ")]
    md.append("Machine: " + "; ".join(other) + ".")
    idles = []
    for x in rounds:
        try:
            idles.append(int(x.split(":")[1].split("%")[0]))
        except (IndexError, ValueError):
            pass
    if idles:
        md.append("CPU idle in the second before each round: median %d%%, "
                  "%d%% to %d%%; %d of %d rounds started below 85%% idle "
                  "(after waiting up to QUIET_WAIT s for a quiet moment)." %
                  (statistics.median(idles), min(idles), max(idles),
                   sum(1 for i in idles if i < 85), len(idles)))
    md.append("")

with open(os.path.join(out, "mempool-summary.md"), "w") as f:
    f.write("\n".join(md))

# Plot: the timed workloads, log scale, one panel per linking.
timed = [w for w in WORK if units.get(w) == "ns"]
dats, ncols = [], []
for l, _ in LINKS:
    # Only the allocators with results in this linking (an all-NaN column
    # makes gnuplot fail).
    have = [a for a in ALLOCS if any((l, a, wk) in med for wk in timed)]
    with tempfile.NamedTemporaryFile("w", suffix=".dat", delete=False) as d:
        d.write("workload " + " ".join(have) + "\n")
        for wk in timed:
            d.write(wk + " " + " ".join(
                "%.2f" % med[(l, a, wk)] if (l, a, wk) in med else "NaN"
                for a in have) + "\n")
        dats.append(d.name)
        ncols.append(len(have))
png = os.path.join(out, "mempool-bench.png")
plots = []
for (l, title), dat, nc in zip(LINKS, dats, ncols):
    plots.append("""
set title 'linked as %s: median ns per operation (log scale, lower is better)'
plot for [i=2:%d] '%s' using i:xtic(1) title columnheader(i)
""" % (title, nc + 1, dat))
script = """
set terminal pngcairo size 1100,900 noenhanced
set output '%s'
set multiplot layout 2,1
set style data histogram
set style histogram cluster gap 1
set style fill solid border -1
set logscale y
set yrange [1:*]
set ylabel 'ns'
set key top left
set xtics rotate by -20
%s
unset multiplot
""" % (png, "".join(plots))
try:
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
except Exception as e:
    sys.stderr.write("gnuplot failed: %s\n" % e)
    sys.exit(1)
finally:
    for d in dats:
        os.unlink(d)
