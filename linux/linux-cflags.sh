#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# linux-cflags.sh OBJTREE CMDFILE CFLAGS_OUT CC_OUT: take the command line
# kbuild recorded for a built-in object (OBJTREE/CMDFILE, e.g.
# drivers/virtio/.virtio.o.cmd), drop its file-specific parts (dependency
# file, KBUILD_* names, -I of the object's own directory, -c/-o/source, the
# objtool step) and make objtree-relative paths absolute. The result compiles
# any file in the Linux world. Outputs are rewritten only when they change.
set -eu

objtree=$(cd "${1:?usage: linux-cflags.sh OBJTREE CMDFILE CFLAGS_OUT CC_OUT}" && pwd)
cmdfile=$objtree/${2:?}
out=${3:?}
ccout=${4:?}

python3 - "$objtree" "$cmdfile" "$out.tmp" "$ccout.tmp" <<'PY'
import os, shlex, sys
objtree, cmdfile, out, ccout = sys.argv[1:5]
line = open(cmdfile).readline()
assert line.startswith('cmd_') and ':=' in line, cmdfile + ': no cmd_ line'
cmd = line.split(':=', 1)[1].split(' ; ')[0]   # drop the objtool step
words = shlex.split(cmd)
cc, args = words[0], words[1:]
src = args[-1]
assert src.endswith(('.c', '.S')), 'unexpected last word ' + src
srcdir = os.path.dirname(src)
objdir = './' + os.path.relpath(os.path.dirname(cmdfile), objtree)
drop_prefix = ('-Wp,-MMD,', '-Wp,-MD,', '-DKBUILD_MODFILE=', '-DKBUILD_BASENAME=',
               '-DKBUILD_MODNAME=', '-D__KBUILD_MODNAME=')
def absolute(p):
    return os.path.normpath(os.path.join(objtree, p)) if p.startswith('./') or p == '.' else p
res, i = [], 0
while i < len(args) - 1:                        # last word is the source file
    a = args[i]
    if a.startswith(drop_prefix) or a == '-c':
        i += 1; continue
    if a == '-o':
        i += 2; continue
    if a in ('-I', '-include', '-isystem') and i + 1 < len(args) - 1:
        p = args[i + 1]
        if a == '-I' and p in (srcdir, objdir):   # the object's own directory
            i += 2; continue
        res += [a, absolute(p)]; i += 2; continue
    if a.startswith('-I') and len(a) > 2:
        p = a[2:]
        if p in (srcdir, objdir):
            i += 1; continue
        res.append('-I' + absolute(p)); i += 1; continue
    res.append(a); i += 1
open(out, 'w').write(' '.join(shlex.quote(w) for w in res) + '\n')
open(ccout, 'w').write(cc + '\n')
PY
for f in "$out" "$ccout"; do
	if cmp -s "$f.tmp" "$f"; then rm -f "$f.tmp"; else mv "$f.tmp" "$f"; fi
done
