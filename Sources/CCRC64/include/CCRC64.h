/* The umbrella header of the Swift package's C target (SwiftPM names it after the target); C users include
 * <crc64.h>. SwiftPM links this target into its Swift clients, never through a DLL: on Windows, where that matters to
 * the declarations, they are those of a static library. */
#ifndef LIBCRC64_STATIC
#define LIBCRC64_STATIC 1
#endif
#include "crc64.h"
