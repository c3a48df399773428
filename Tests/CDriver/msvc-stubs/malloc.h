/* Stand-in for the Windows SDK's <malloc.h> (UCRT): only what Sources/CCRC64 uses, with the SDK's prototypes. */
#pragma once
#include <stddef.h>
void *_aligned_malloc(size_t size, size_t alignment);
void _aligned_free(void *block);
