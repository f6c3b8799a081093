/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lwIP httpd's file system data (HTTPD_FSDATA_FILE, included by lwIP's
 * src/apps/http/fs.c): none. ddeos's httpd serves only pages it generates
 * per request through fs_open_custom() (apps/httpd/httpd.c), so the list
 * of built-in files lwIP would search after it is empty.
 */
#ifndef DDEOS_HTTPD_FSDATA_H
#define DDEOS_HTTPD_FSDATA_H

#define FS_ROOT		((const struct fsdata_file *)NULL)
#define FS_NUMFILES	0

#endif
