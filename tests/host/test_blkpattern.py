#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of tools/blkpattern: the sector format against values worked
out by hand from docs/block.md, write-then-verify, a torn sector found by
LBA, exit statuses. Prints TAP-like `ok N - name` lines and
`N passed, N failed` for tools/check."""

import importlib.machinery
import importlib.util
import io
import os
import struct
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(TOP, "tools", "blkpattern")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostcase import case, finish  # noqa: E402

loader = importlib.machinery.SourceFileLoader("blkpattern", TOOL)
spec = importlib.util.spec_from_loader("blkpattern", loader)
bp = importlib.util.module_from_spec(spec)
loader.exec_module(bp)


def image(sectors):
    f = tempfile.NamedTemporaryFile(delete=False)
    f.truncate(sectors * 512)
    f.close()
    return f.name


def tool(*args):
    return subprocess.run([sys.executable, TOOL] + list(args),
                          capture_output=True, text=True)


@case
def sector_format_by_hand():
    words = struct.unpack("<64Q", bp.sector(3, 7))
    assert words[0] == 3 and words[1] == 7
    # 3 * 0x9E3779B97F4A7C15 + 7 * 0xBF58476D1CE4E5B9 + k, mod 2^64
    base = (0xDAA66D2C7DDF743F + 0x3B69F3FBCA42480F) & ((1 << 64) - 1)
    assert words[2] == base + 2, hex(words[2])
    assert words[63] == (base + 63) & ((1 << 64) - 1)
    # Wraps mod 2^64 with a seed near the top.
    top = struct.unpack("<64Q", bp.sector(0, (1 << 64) - 1))
    assert top[2] == ((-0xBF58476D1CE4E5B9) + 2) & ((1 << 64) - 1)


@case
def write_then_verify_range():
    path = image(100)
    try:
        out = io.StringIO()
        bp.run("write", path, 42, 10, 50, out)
        assert bp.run("verify", path, 42, 10, 50, out) == (50, 0, None)
        # Outside the range nothing was written.
        with open(path, "rb") as f:
            assert f.read(10 * 512) == bytes(10 * 512)
            f.seek(60 * 512)
            assert f.read() == bytes(40 * 512)
        # Another seed does not verify.
        assert bp.run("verify", path, 43, 10, 50, out)[1] == 50
    finally:
        os.unlink(path)


@case
def torn_sector_found_by_lba():
    path = image(64)
    try:
        out = io.StringIO()
        bp.run("write", path, 5, 0, None, out)
        with open(path, "r+b") as f:
            f.seek(37 * 512 + 300)
            f.write(b"\xff")
            f.seek(50 * 512 + 8)
            f.write(bytes(8))
        assert bp.run("verify", path, 5, 0, None, out) == (64, 2, 37)
        assert "first_bad=37" in out.getvalue()
        assert "sector 50 word 1:" in out.getvalue()
    finally:
        os.unlink(path)


@case
def exit_status_and_line():
    path = image(8)
    try:
        r = tool("write", path, "--seed", "9")
        assert r.returncode == 0, r
        assert r.stdout.strip() == (f"blkpattern: mode=write disk={path} "
                                    "sectors=8 mismatches=0 first_bad=-"), r.stdout
        assert tool("verify", path, "--seed", "9", "--start", "2",
                    "--count", "6").returncode == 0
        r = tool("verify", path, "--seed", "8")
        assert r.returncode == 1 and "first_bad=0" in r.stdout, r
        assert tool("verify", path, "--seed", "9", "--count", "9").returncode == 2
        assert tool("verify", path).returncode == 2   # --seed is required
    finally:
        os.unlink(path)


sys.exit(finish())
