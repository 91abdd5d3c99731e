# Sanitizers for the test builds, applied globally so the core library, the
# tests and the daemon binary driven by the system tests all carry them.
#   TELEMED_SANITIZE=ON  AddressSanitizer + UndefinedBehaviorSanitizer
#   TELEMED_TSAN=ON      ThreadSanitizer (clang; a build directory of its own)
# The two cannot share a binary: ASan and TSan each own the allocator.
if(TELEMED_SANITIZE AND TELEMED_TSAN)
  message(FATAL_ERROR "TELEMED_SANITIZE and TELEMED_TSAN exclude each other; use two build directories")
endif()
if(TELEMED_SANITIZE)
  set(TELEMED_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  add_compile_options(${TELEMED_SAN_FLAGS})
  add_link_options(-fsanitize=address,undefined)
endif()
if(TELEMED_TSAN)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TELEMED_TSAN needs clang (CC=clang CXX=clang++)")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=thread)
endif()
