#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Copy the benchmark's last summary and plot into the docs: the text
between the two markers of DOC.md is replaced by SUMMARY.md, and PNG is
copied to DOC.png. The rest of DOC.md (method, analysis) is left alone.
Usage: update_docs.py SUMMARY.md PNG DOC.md DOC.png"""
import shutil, sys

summary, png, doc, doc_png = sys.argv[1:5]
BEGIN = "<!-- results: begin (make bench-mempool-docs writes this part) -->"
END = "<!-- results: end -->"
with open(summary) as f:
    body = f.read().strip()
try:
    with open(doc) as f:
        text = f.read()
except FileNotFoundError:
    text = "# Memory pool benchmark\n\n%s\n%s\n" % (BEGIN, END)
if BEGIN not in text or END not in text:
    sys.exit("update_docs: %s lacks the result markers" % doc)
head, rest = text.split(BEGIN, 1)
_, tail = rest.split(END, 1)
with open(doc, "w") as f:
    f.write(head + BEGIN + "\n\n" + body + "\n\n" + END + tail)
shutil.copyfile(png, doc_png)
print("updated %s and %s" % (doc, doc_png))
