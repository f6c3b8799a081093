#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# linux-hosttools.sh: check the host tools that fetching, configuring and
# compiling Linux needs; print the exact apt-get command for the missing ones
# and fail. libelf-dev is only needed by objtool (off in our config), but it
# is cheap and kbuild's checks vary between configs, so we require it too.
set -eu

missing=
need() {	# need PACKAGE COMMAND-OR-FILE
	case $2 in
	/*) [ -e "$2" ] && return 0 ;;
	*) command -v "$2" >/dev/null 2>&1 && return 0 ;;
	esac
	case " $missing " in *" $1 "*) ;; *) missing="$missing $1" ;; esac
}

need apt        apt-get
need dpkg       dpkg-deb
need tar        tar
need xz-utils   xz
need make       make
need gcc        gcc
need binutils   ld
need binutils   nm
need flex       flex
need bison      bison
need bc         bc
need perl       perl
need mawk       awk
need python3    python3
need libelf-dev /usr/include/gelf.h

if [ -n "$missing" ]; then
	echo "error: host tools missing for the Linux build:$missing" >&2
	echo "  install them with:" >&2
	echo "    apt-get install -y$missing" >&2
	exit 1
fi
