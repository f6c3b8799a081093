# SPDX-License-Identifier: GPL-2.0-only
"""The case runner of the Python host tests (tests/host/test_*.py): each
case is a function run once when decorated, failing if it raises; finish()
prints the TAP-like `ok N - name` lines and `N passed, N failed` that
tools/check reads, and gives the exit status.
"""

results = []


def case(fn):
    """Run fn now as one case named after it; a raise fails it."""
    try:
        fn()
        results.append((True, fn.__name__, ""))
    except Exception as e:  # any failure is the case's
        results.append((False, fn.__name__, repr(e)))
    return fn


def finish():
    """Print every case's line and the totals. Return: the exit status,
    0 if every case passed, else 1."""
    for i, (ok, name, why) in enumerate(results, 1):
        print(f"{'' if ok else 'not '}ok {i} - {name}")
        if not ok:
            print(f"# {name}: {why}")
    passed = sum(ok for ok, _, _ in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1
