#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Medians, spread (min..max) and ratios to mimalloc of the memory pool
benchmark; writes the CSV, a markdown table and a gnuplot PNG.
Usage: summarise.py RAW.csv OUT.csv OUT.md OUT.png"""
import csv, statistics, subprocess, sys, os, tempfile

raw, out_csv, out_md, png = sys.argv[1:5]
ALLOCS = ["ddeos", "seed", "glibc", "jemalloc", "tcmalloc", "mimalloc"]
WORK = ["pair-16", "pair-64", "pair-256", "pair-1024", "pair-4096",
        "prodcons", "larson", "retained-stop", "retained-peak",
        "retained-idle"]
vals, units = {}, {}
with open(raw) as f:
    for row in csv.DictReader(f):
        vals.setdefault((row["allocator"], row["workload"]), []).append(
            float(row["value"]))
        units[row["workload"]] = row["unit"]

med = {k: statistics.median(v) for k, v in vals.items()}
with open(out_csv, "w") as f:
    w = csv.writer(f)
    w.writerow(["workload", "unit", "allocator", "runs", "median", "min",
                "max", "ratio_to_mimalloc"])
    for wk in WORK:
        for a in ALLOCS:
            v = vals.get((a, wk))
            if not v:
                continue
            m = med[(a, wk)]
            mm = med.get(("mimalloc", wk))
            ratio = "%.2f" % (m / mm) if mm else ""
            w.writerow([wk, units[wk], a, len(v), "%.2f" % m,
                        "%.2f" % min(v), "%.2f" % max(v), ratio])

with open(out_md, "w") as f:
    f.write("| workload | " + " | ".join(ALLOCS) + " |\n")
    f.write("|---" * (len(ALLOCS) + 1) + "|\n")
    for wk in WORK:
        cells = []
        for a in ALLOCS:
            v = vals.get((a, wk))
            if not v:
                cells.append("-")
                continue
            m = med[(a, wk)]
            mm = med.get(("mimalloc", wk))
            r = " (x%.2f)" % (m / mm) if mm and wk[:8] != "retained" else ""
            cells.append("%.1f [%.1f..%.1f]%s" % (m, min(v), max(v), r))
        f.write("| %s (%s) | " % (wk, units[wk]) + " | ".join(cells) + " |\n")
    f.write("\nmedian [min..max] of %d runs; (xR) = median / mimalloc's "
            "median, lower is better.\n" % max(len(v) for v in vals.values()))

# Plot: time workloads, log scale, one cluster per workload.
timed = [w for w in WORK if units.get(w) == "ns"]
with tempfile.NamedTemporaryFile("w", suffix=".dat", delete=False) as d:
    d.write("workload " + " ".join(ALLOCS) + "\n")
    for wk in timed:
        d.write(wk + " " + " ".join("%.2f" % med.get((a, wk), 0)
                                    for a in ALLOCS) + "\n")
    dat = d.name
script = """
set terminal pngcairo size 1100,500 noenhanced
set output '%s'
set title 'ddeos memory pool vs peers: median ns per operation (log scale, lower is better)'
set style data histogram
set style histogram cluster gap 1
set style fill solid border -1
set logscale y
set ylabel 'ns'
set key top left
set xtics rotate by -20
plot for [i=2:%d] '%s' using i:xtic(1) title columnheader(i)
""" % (png, len(ALLOCS) + 1, dat)
try:
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
except Exception as e:
    sys.stderr.write("gnuplot failed: %s\n" % e)
    sys.exit(1)
finally:
    os.unlink(dat)
