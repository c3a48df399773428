/* Stub of the macOS SDK <stdlib.h> for the compile-only check (see README.md): what Sources/CCRC64 uses. */
#ifndef CRC64_APPLE_STUB_STDLIB_H
#define CRC64_APPLE_STUB_STDLIB_H
#include <stddef.h>
void *malloc(size_t __size);
void free(void *);
void *aligned_alloc(size_t __alignment, size_t __size);
int posix_memalign(void **__memptr, size_t __alignment, size_t __size);
char *getenv(const char *);
void abort(void) __attribute__((__noreturn__));
#endif
