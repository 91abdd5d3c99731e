# Cross build for armhf (32-bit ARMv7, hard float) with Debian's cross
# compiler:
#   cmake -S . -B build-cross-armhf \
#     -DCMAKE_TOOLCHAIN_FILE=toolchains/arm-linux-gnueabihf.cmake
# bookworm's armhf has a 32-bit time_t: the code keeps every time in int64_t
# and converts to time_t only where a system call needs it
# (base/time_format_test.cc checks dates after 2038 on this build).
# ./dev.sh cross armhf installs what it needs, builds and runs the unit tests
# under qemu-user.
set(CMAKE_SYSTEM_PROCESSOR arm)
set(TELEMED_CROSS_TRIPLET arm-linux-gnueabihf)
set(TELEMED_CROSS_QEMU qemu-arm-static)
# gcc notes on ARM that passing some iterators changed ABI in gcc 7.1, in
# pages of output per file; everything here is built by one gcc 12.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
