// 128-bit integers (a GCC/Clang extension) for exact products of 64-bit values.
#pragma once

namespace synthscale {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

}  // namespace synthscale
