/* Stub of the macOS SDK <string.h> for the compile-only check (see README.md): what Sources/CCRC64 uses. */
#ifndef CRC64_APPLE_STUB_STRING_H
#define CRC64_APPLE_STUB_STRING_H
#include <stddef.h>
void *memcpy(void *__dst, const void *__src, size_t __n);
void *memset(void *__b, int __c, size_t __len);
int memcmp(const void *__s1, const void *__s2, size_t __n);
int strcmp(const char *__s1, const char *__s2);
size_t strlen(const char *__s);
#endif
