/* Stand-in for the Windows SDK's <string.h> (UCRT): only what Sources/CCRC64 uses, with the SDK's prototypes. */
#pragma once
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t size);
void *memset(void *dst, int value, size_t size);
int strcmp(const char *a, const char *b);
