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
# IKV_FUZZ=ON (clang only) defines ikv_fuzz_instrument(<target>) and
# ikv_fuzz_link(<target>) for tests/fuzz: the code under test is compiled
# with -fsanitize=fuzzer-no-link,address,undefined and the fuzz executables
# are linked with -fsanitize=fuzzer,address,undefined. Only the fuzz targets
# get these flags; the ordinary targets of a fuzz build directory stay plain.
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
  if(NOT IKV_SANITIZE STREQUAL "")
    message(FATAL_ERROR "IKV_FUZZ=ON brings its own sanitizers; leave IKV_SANITIZE empty")
  endif()
  set(IKV_FUZZ_SANITIZERS address,undefined)

  # Code reached by the fuzzers: coverage feedback and the sanitizers.
  function(ikv_fuzz_instrument target)
    target_compile_options(${target} PRIVATE
      -fsanitize=fuzzer-no-link,${IKV_FUZZ_SANITIZERS}
      -fno-sanitize-recover=all
      -fno-omit-frame-pointer
      -gline-tables-only)
    target_compile_definitions(${target} PRIVATE IKV_FUZZING=1)
  endfunction()

  # A libFuzzer executable (libFuzzer provides main).
  function(ikv_fuzz_link target)
    ikv_fuzz_instrument(${target})
    target_link_options(${target} PRIVATE -fsanitize=fuzzer,${IKV_FUZZ_SANITIZERS})
  endfunction()
endif()
