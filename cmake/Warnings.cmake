# Warnings are errors in every build of our own code.
function(telemed_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # -Wthread-safety checks the GUARDED_BY / REQUIRES annotations of base/thread_annotations.h.
    target_compile_options(${target} PRIVATE -Wthread-safety)
  endif()
endfunction()
