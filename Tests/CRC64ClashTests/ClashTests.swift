import Testing
import CRC64Kit

struct CRC64 {}
