# Sanitizer and fuzzing instrumentation, chosen at configure time.
#
#   IKV_SANITIZE=""                  no instrumentation (the default)
#   IKV_SANITIZE="address,undefined" AddressSanitizer (with leak detection) and
#                                    UndefinedBehaviorSanitizer; every UBSan
#                                    report aborts (-fno-sanitize-recover=all)
#   IKV_SANITIZE="thread"            ThreadSanitizer
#
# The flags apply to every target of the project (libraries, tests, the
# server), so an end-to-end test runs an instrumented server. Runtime options
# (ASAN_OPTIONS, UBSAN_OPTIONS, TSAN_OPTIONS) are set by tools/sanitize.sh.
#
# IKV_FUZZ=ON (clang only, with IKV_SANITIZE="address,undefined") also
# builds the libFuzzer targets of tests/fuzz in the same build directory:
# every target is compiled with -fsanitize=fuzzer-no-link (coverage feedback;
# the sanitizer runtime answers its hooks in ordinary executables), and
# ikv_fuzz_link(<target>) links a fuzz executable with libFuzzer. One
# instrumented build thus serves both the sanitized test run and fuzzing.
include_guard(GLOBAL)

set(IKV_SANITIZE_VALUES "" "address,undefined" "thread")
set_property(CACHE IKV_SANITIZE PROPERTY STRINGS ${IKV_SANITIZE_VALUES})

if(IKV_SANITIZE STREQUAL "address,undefined")
  set(_ikv_san_flags
      -fsanitize=address,undefined
      -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options(${_ikv_san_flags})
  add_link_options(-fsanitize=address,undefined)
  message(STATUS "IKV: AddressSanitizer + UndefinedBehaviorSanitizer")
elseif(IKV_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  message(STATUS "IKV: ThreadSanitizer")
elseif(NOT IKV_SANITIZE STREQUAL "")
  message(FATAL_ERROR
    "IKV_SANITIZE='${IKV_SANITIZE}': use empty, 'address,undefined' or 'thread'")
endif()

if(IKV_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "IKV_FUZZ=ON needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14)")
  endif()
  if(NOT IKV_SANITIZE STREQUAL "address,undefined")
    message(FATAL_ERROR "IKV_FUZZ=ON runs the fuzzers under -DIKV_SANITIZE=address,undefined")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  message(STATUS "IKV: libFuzzer targets (coverage instrumentation on every target)")

  # A libFuzzer executable (libFuzzer provides main).
  function(ikv_fuzz_link target)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  endfunction()
endif()
