# ASan + UBSan for the test build (clang). Applied globally so the core library,
# the tests and the daemon binary driven by system tests all carry it.
if(TELEMED_SANITIZE)
  set(TELEMED_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  add_compile_options(${TELEMED_SAN_FLAGS})
  add_link_options(-fsanitize=address,undefined)
endif()
