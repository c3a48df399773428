# ctest: the C kernel suite (Tests/CDriver/crc64_driver.c) against each built library, which also checks that the
# library dispatches to the best kernel this CPU has among those compiled in: --expect names that kernel and --absent
# every kernel ranked above it (the driver checks that the active kernel is the best supported one).
if(NOT WIN32) # the driver's --race mode runs on Win32 threads there
    find_package(Threads REQUIRED)
endif()

# Kernels best first, as crc64_dispatch.c ranks them, and the /proc/cpuinfo flags each needs.
set(_crc64_ranked avx512 avx2 pclmul pmull-eor3 pmull slice16)
set(_crc64_needs_avx512 avx512f avx512bw avx512vl vpclmulqdq avx2 avx pclmulqdq sse4_1 ssse3)
set(_crc64_needs_avx2 avx2 avx vpclmulqdq pclmulqdq sse4_1 ssse3)
set(_crc64_needs_pclmul pclmulqdq sse4_1 ssse3)
set(_crc64_needs_pmull-eor3 pmull sha3)
set(_crc64_needs_pmull pmull)
set(_crc64_needs_slice16 "")

# The expectation comes from the kernel's view of the CPU, not from the library's own detection.
set(CRC64_EXPECT_KERNEL "" CACHE STRING
    "Kernel the tests expect libcrc64_active_kernel() to name (empty: the best one compiled in that /proc/cpuinfo allows)")
set(_crc64_expect "${CRC64_EXPECT_KERNEL}")
if(_crc64_expect AND NOT _crc64_expect IN_LIST _crc64_ranked)
    message(FATAL_ERROR "CRC64_EXPECT_KERNEL=${_crc64_expect} is not a kernel name (${_crc64_ranked})")
endif()
# The tests run on this very CPU natively, and under Wine too (a Windows x86_64 build on an x86_64 host).
set(_crc64_on_this_cpu FALSE)
if(NOT CMAKE_CROSSCOMPILING OR (CMAKE_CROSSCOMPILING_EMULATOR MATCHES "wine" AND CRC64_TARGET_X86_64
                                AND CMAKE_HOST_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$"))
    set(_crc64_on_this_cpu TRUE)
endif()
if(NOT _crc64_expect AND _crc64_on_this_cpu AND EXISTS /proc/cpuinfo)
    file(STRINGS /proc/cpuinfo _crc64_flags REGEX "^(flags|Features)[ \t]*:" LIMIT_COUNT 1)
    string(REGEX REPLACE "^[^:]*:[ \t]*" "" _crc64_flags "${_crc64_flags}")
    string(REGEX REPLACE "[ \t]+" ";" _crc64_flags "${_crc64_flags}")
    foreach(_k IN LISTS CRC64_KERNELS)
        set(_crc64_runs TRUE)
        foreach(_f IN LISTS _crc64_needs_${_k})
            if(NOT _f IN_LIST _crc64_flags)
                set(_crc64_runs FALSE)
            endif()
        endforeach()
        if(_crc64_runs)
            set(_crc64_expect ${_k})
            break()
        endif()
    endforeach()
endif()

set(_crc64_expect_args "")
if(_crc64_expect)
    list(FIND _crc64_ranked ${_crc64_expect} _i)
    list(SUBLIST _crc64_ranked 0 ${_i} _crc64_above)
    string(REPLACE ";" "," _crc64_above "${_crc64_above}")
    list(APPEND _crc64_expect_args --expect ${_crc64_expect})
    if(_crc64_above)
        list(APPEND _crc64_expect_args --absent ${_crc64_above})
    endif()
    message(STATUS "libcrc64: the tests expect the ${_crc64_expect} kernel to be dispatched")
else()
    message(STATUS "libcrc64: the tests do not check which kernel is dispatched (cross-compiling without Wine, or "
                   "no /proc/cpuinfo): set CRC64_EXPECT_KERNEL")
endif()

# The full matrix natively; --quick under an emulator (cross builds), which is about 30 times slower.
set(_crc64_mode "")
if(CMAKE_CROSSCOMPILING)
    set(_crc64_mode --quick)
endif()

function(crc64_add_driver_test name library)
    add_executable(${name} Tests/CDriver/crc64_driver.c)
    set_target_properties(${name} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
    target_compile_options(${name} PRIVATE ${CRC64_COMPILER_FLAGS})
    target_link_libraries(${name} PRIVATE ${library} $<TARGET_NAME_IF_EXISTS:Threads::Threads>)
    add_test(NAME ${name} COMMAND ${name} ${ARGN} ${_crc64_expect_args})
    # An inherited CRC64_KERNEL would mask kernels and defeat the expectation.
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "CRC64_KERNEL=")
endfunction()

get_target_property(_crc64_kind crc64 TYPE)
if(_crc64_kind STREQUAL "SHARED_LIBRARY")
    crc64_add_driver_test(driver_shared crc64 ${_crc64_mode})
else()
    crc64_add_driver_test(driver_static crc64 ${_crc64_mode})
endif()
if(TARGET crc64_static)
    crc64_add_driver_test(driver_static crc64_static --quick)
endif()
