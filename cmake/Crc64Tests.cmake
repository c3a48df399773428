# ctest: the C kernel suite (Tests/CDriver/crc64_driver.c) against each built library, which also checks that the
# library dispatches to the best kernel this CPU has among those compiled in.
if(NOT WIN32) # the driver's --race mode runs on Win32 threads there
    find_package(Threads REQUIRED)
endif()

# What the tests expect of the dispatch comes from the OS's view of the CPU, not from the library's own detection:
# the driver is given /proc/cpuinfo's feature list and the kernels this build left out, and checks that exactly the
# kernels whose features (libcrc64_kernel_features) the CPU has are supported. That holds where the tests run on this
# very CPU: natively, and under Wine (a Windows build for this host's architecture). Elsewhere (qemu) give
# CRC64_EXPECT_KERNEL, the kernel the emulated CPU must dispatch.
set(CRC64_EXPECT_KERNEL "" CACHE STRING
    "Kernel the tests expect libcrc64_active_kernel() to name (empty: the kernels that /proc/cpuinfo allows)")
set(_crc64_expect_args "")
if(CRC64_EXPECT_KERNEL)
    list(FIND CRC64_KERNEL_NAMES "${CRC64_EXPECT_KERNEL}" _i)
    if(_i LESS 0)
        message(FATAL_ERROR "CRC64_EXPECT_KERNEL=${CRC64_EXPECT_KERNEL} is not a kernel name (${CRC64_KERNEL_NAMES})")
    endif()
    list(SUBLIST CRC64_KERNEL_NAMES 0 ${_i} _crc64_above)
    string(REPLACE ";" "," _crc64_above "${_crc64_above}")
    list(APPEND _crc64_expect_args --expect ${CRC64_EXPECT_KERNEL})
    if(_crc64_above)
        list(APPEND _crc64_expect_args --absent ${_crc64_above})
    endif()
    message(STATUS "libcrc64: the tests expect the ${CRC64_EXPECT_KERNEL} kernel to be dispatched")
elseif(EXISTS /proc/cpuinfo AND (NOT CMAKE_CROSSCOMPILING OR CMAKE_CROSSCOMPILING_EMULATOR MATCHES "wine"))
    # (Wine emulates no CPU: what it runs, runs on this one.)
    file(STRINGS /proc/cpuinfo _crc64_flags REGEX "^(flags|Features)[ \t]*:" LIMIT_COUNT 1)
    string(REGEX REPLACE "^[^:]*:[ \t]*" "" _crc64_flags "${_crc64_flags}")
    list(APPEND _crc64_expect_args --cpu-flags "${_crc64_flags}")
    if(CRC64_LEFT_OUT)
        string(REPLACE ";" "," _crc64_left_out "${CRC64_LEFT_OUT}")
        list(APPEND _crc64_expect_args --left-out ${_crc64_left_out})
    endif()
    message(STATUS "libcrc64: the tests expect the kernels that /proc/cpuinfo's features allow")
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
