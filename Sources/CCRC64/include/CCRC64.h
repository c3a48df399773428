/* The umbrella header of the Swift package's C target (SwiftPM names it after the target); C users include
 * <crc64.h>. */
#include "crc64.h"
