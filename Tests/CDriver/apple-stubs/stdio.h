/* Stub of the macOS SDK <stdio.h> for the compile-only check (see README.md): what Sources/CCRC64 uses. */
#ifndef CRC64_APPLE_STUB_STDIO_H
#define CRC64_APPLE_STUB_STDIO_H
#include <stddef.h>
typedef struct __sFILE FILE;
extern FILE *__stderrp;
#define stderr __stderrp
int fprintf(FILE *__restrict, const char *__restrict, ...) __attribute__((__format__(__printf__, 2, 3)));
#endif
