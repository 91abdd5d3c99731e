# Shared part of the toolchain files for Debian's multiarch cross compilers.
# Included by aarch64-linux-gnu.cmake and arm-linux-gnueabihf.cmake after they
# set TELEMED_CROSS_TRIPLET (the GNU triplet, e.g. aarch64-linux-gnu) and
# TELEMED_CROSS_QEMU (the qemu-user program that runs the target's binaries).
#
# Needs on the build machine (./dev.sh cross ARCH installs them):
#   dpkg --add-architecture ARCH
#   crossbuild-essential-ARCH qemu-user-static
#   the ARCH -dev packages of our libraries, e.g. libsqlite3-dev:arm64

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${TELEMED_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${TELEMED_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${TELEMED_CROSS_TRIPLET})

# Headers and libraries of the target come from the multiarch paths
# (/usr/include/TRIPLET, /usr/lib/TRIPLET), which the cross compiler already
# searches; programs (pkg-config, cmake's helpers) come from the build machine.
set(CMAKE_FIND_ROOT_PATH /usr/${TELEMED_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# bookworm's pkgconf has no TRIPLET-pkg-config wrapper: point the build
# machine's pkg-config at the target's .pc files only, so that no amd64
# library can slip into the link.
set(ENV{PKG_CONFIG_LIBDIR}
    /usr/lib/${TELEMED_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# Test binaries run under qemu-user, with the target's dynamic loader and
# libraries from the multiarch tree (/lib/ld-linux-*.so and /usr/lib/TRIPLET,
# package libc6:ARCH): `-L /`. Not `-L /usr/TRIPLET`, the cross compiler's
# copy: its loader comes from libc6-ARCH-cross, a different glibc build than
# the multiarch libc.so.6 the programs then load, and with that mix every
# new thread and every forked child hangs or crashes. No binfmt_misc
# registration is needed. CTest and the test discovery
# (cmake/DiscoverTestGroups.cmake) prefix every test command with this.
find_program(TELEMED_CROSS_QEMU_PATH ${TELEMED_CROSS_QEMU})
if(TELEMED_CROSS_QEMU_PATH)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${TELEMED_CROSS_QEMU_PATH} -L /)
endif()
