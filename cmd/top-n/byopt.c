/*
 * byopt.c: top-n's --by.
 */
#include <stdlib.h>
#include <string.h>

#include "byopt.h"
#include "diag.h"

int
byopt_parse(struct bykey *k, const char *arg, struct buf *err)
{
	const char *colon = strrchr(arg, ':');
	size_t len = strlen(arg);
	char *name;
	int rc;

	k->desc = -1;
	if (colon != NULL && strcmp(colon, ":asc") == 0) {
		k->desc = 0;
		len = (size_t)(colon - arg);
	} else if (colon != NULL && strcmp(colon, ":desc") == 0) {
		k->desc = 1;
		len = (size_t)(colon - arg);
	}
	name = xstrndup(arg, len);
	rc = field_parse(&k->f, name);
	free(name);
	if (rc != 0) {
		buf_puts(err, "not a field name");
		return -1;
	}
	return 0;
}
