// SPDX-License-Identifier: GPL-2.0-only
/* Splitting the command line into key/value words; host-tested. */
#include <ddeos/cmdline.h>

void cmdline_split(const char *line,
		   void (*fn)(const char *key, const char *value, void *ctx),
		   void *ctx)
{
	char word[CMDLINE_WORD_MAX];

	while (*line) {
		size_t n = 0;
		bool too_long = false;
		char *value = NULL;

		while (*line == ' ' || *line == '\t' || *line == '\n')
			line++;
		if (!*line)
			break;
		while (*line && *line != ' ' && *line != '\t' && *line != '\n') {
			if (n + 1 < sizeof(word))
				word[n++] = *line;
			else
				too_long = true;
			line++;
		}
		word[n] = '\0';
		if (too_long) {
			fn("", word, ctx);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			if (word[i] == '=') {
				word[i] = '\0';
				value = &word[i + 1];
				break;
			}
		}
		fn(word, value, ctx);
	}
}
