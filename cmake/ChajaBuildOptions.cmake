# Build options of Chaja's own targets (included by the top-level CMakeLists.txt).
#
#   CHAJA_SANITIZE  "" (default), or a comma-separated list of address, undefined
#                   and thread, e.g. -DCHAJA_SANITIZE=address,undefined.
#                   Adds -fsanitize=LIST -fno-omit-frame-pointer to the compile and
#                   link options of every target of the project (the generated
#                   protobuf code too, so the whole process is instrumented);
#                   with undefined also -fno-sanitize-recover=undefined, so a
#                   UBSan report aborts the test instead of scrolling past.
#                   thread cannot be combined with address.
#   CHAJA_FUZZ      OFF (default). ON: clang only; compiles the project with
#                   -fsanitize=fuzzer-no-link,address,undefined and adds the
#                   libFuzzer targets of fuzz/ (linked with -fsanitize=fuzzer).
#                   Replaces CHAJA_SANITIZE (which must then be empty). Build
#                   only the fuzz targets and the unit tests in such a tree
#                   (scripts/fuzz and scripts/test.sh's sanitizer stage do).
#   CHAJA_WERROR    ON (default): warnings are errors in the project's hand-written
#                   targets (chaja_werror_own_targets below); the generated protobuf
#                   and gRPC code (chaja_proto, compiled with -w) is left out.

set(CHAJA_SANITIZE "" CACHE STRING
    "Sanitizers for the project's targets: empty, or a comma-separated list of address, undefined, thread")
option(CHAJA_FUZZ "Build the libFuzzer targets of fuzz/ (clang only)" OFF)
option(CHAJA_WERROR "Treat warnings as errors in the project's own (hand-written) targets" ON)

# Call before add_subdirectory(): add_compile_options/add_link_options apply to
# the targets of this directory and every directory below it.
function(chaja_apply_sanitizers)
  if(CHAJA_FUZZ)
    _chaja_apply_fuzz_flags()
    return()
  endif()
  if(CHAJA_SANITIZE STREQUAL "")
    return()
  endif()
  string(REPLACE "," ";" sanitizers "${CHAJA_SANITIZE}")
  set(wanted "")
  foreach(s IN LISTS sanitizers)
    string(STRIP "${s}" s)
    if(s STREQUAL "")
      continue()
    endif()
    if(NOT s MATCHES "^(address|undefined|thread)$")
      message(FATAL_ERROR "CHAJA_SANITIZE: unknown sanitizer \"${s}\" (use address, undefined, thread)")
    endif()
    list(APPEND wanted "${s}")
  endforeach()
  list(REMOVE_DUPLICATES wanted)
  if("address" IN_LIST wanted AND "thread" IN_LIST wanted)
    message(FATAL_ERROR "CHAJA_SANITIZE: address and thread cannot be combined")
  endif()
  if(wanted STREQUAL "")
    return()
  endif()
  list(JOIN wanted "," joined)
  set(flags "-fsanitize=${joined}" -fno-omit-frame-pointer)
  if("undefined" IN_LIST wanted)
    list(APPEND flags -fno-sanitize-recover=undefined)
  endif()
  add_compile_options(${flags})
  add_link_options(${flags})
  message(STATUS "chaja: sanitizers ${joined}")
endfunction()

# CHAJA_FUZZ: coverage instrumentation for libFuzzer plus ASan and UBSan in
# every target; the fuzz targets add -fsanitize=fuzzer (libFuzzer's main) at link.
function(_chaja_apply_fuzz_flags)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CHAJA_FUZZ needs clang (e.g. CXX=clang++), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(NOT CHAJA_SANITIZE STREQUAL "")
    message(FATAL_ERROR "CHAJA_FUZZ already means address,undefined: leave CHAJA_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  message(STATUS "chaja: libFuzzer targets with address,undefined")
endfunction()

# Every target defined in `dir` and the directories below it.
function(_chaja_collect_targets dir out)
  get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    _chaja_collect_targets("${sub}" sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# Call after every add_subdirectory(): adds -Werror to each compiled target of
# the project except the ones named (generated code).
function(chaja_werror_own_targets)
  if(NOT CHAJA_WERROR)
    return()
  endif()
  _chaja_collect_targets("${PROJECT_SOURCE_DIR}" targets)
  foreach(target IN LISTS targets)
    if(target IN_LIST ARGN)
      continue()
    endif()
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endforeach()
endfunction()
