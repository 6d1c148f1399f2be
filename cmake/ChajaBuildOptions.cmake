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

set(CHAJA_SANITIZE "" CACHE STRING
    "Sanitizers for the project's targets: empty, or a comma-separated list of address, undefined, thread")

# Call before add_subdirectory(): add_compile_options/add_link_options apply to
# the targets of this directory and every directory below it.
function(chaja_apply_sanitizers)
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
