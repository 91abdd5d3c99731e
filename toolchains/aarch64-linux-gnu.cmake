# Cross build for arm64 (64-bit ARM) with Debian's cross compiler:
#   cmake -S . -B build-cross-arm64 \
#     -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake
# ./dev.sh cross arm64 installs what it needs, builds and runs the unit tests
# under qemu-user.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(TELEMED_CROSS_TRIPLET aarch64-linux-gnu)
set(TELEMED_CROSS_QEMU qemu-aarch64-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
