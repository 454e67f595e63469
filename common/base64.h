/*
 * base64.h: RFC 4648 base64 with padding (bytea values, dead letters).
 */
#ifndef CDC_BASE64_H
#define CDC_BASE64_H

#include <stddef.h>

#include "buf.h"

/* Append the base64 form of p[0..n) to out. */
void	base64_append(struct buf *out, const void *p, size_t n);

#endif
