/* Stand-in for the Windows SDK's <stdlib.h> (UCRT): only what Sources/CCRC64 uses, with the SDK's prototypes. */
#pragma once
#include <stddef.h>
char *getenv(const char *name);
void free(void *block);
unsigned long _byteswap_ulong(unsigned long value);
unsigned __int64 _byteswap_uint64(unsigned __int64 value);
