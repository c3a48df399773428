# find_package(crc64 CONFIG): the imported target crc64::crc64 (the shared library when it was installed, otherwise
# the static one) and, when both kinds were installed, crc64::crc64_static.
include("${CMAKE_CURRENT_LIST_DIR}/crc64Targets.cmake")
