/* Stand-in for the Windows SDK's <stdio.h> (UCRT): only what Sources/CCRC64 uses, with the SDK's prototypes. */
#pragma once
typedef struct _iobuf { void *_Placeholder; } FILE;
FILE *__acrt_iob_func(unsigned index);
#define stderr (__acrt_iob_func(2))
int fprintf(FILE *stream, const char *format, ...);
