/* Stub of the macOS SDK <sys/sysctl.h> for the compile-only check (see README.md): what Sources/CCRC64 uses. */
#ifndef CRC64_APPLE_STUB_SYS_SYSCTL_H
#define CRC64_APPLE_STUB_SYS_SYSCTL_H
#include <stddef.h>
int sysctlbyname(const char *, void *, size_t *, void *, size_t);
#endif
