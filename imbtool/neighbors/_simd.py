"""A register-blocked float32 product tile for the euclidean filter, written in LLVM IR.

numba does not keep a small accumulator block in registers (a 4 x 16 tile
written as loops ran at 5-9 GFLOP/s against BLAS sgemm's ~61), and calling
sgemm means writing every approximate distance to memory and reading it back
for the threshold test. This tile does both in registers: 6 queries x 2
vectors of candidates, and it returns which queries have an entry within
their bound (on the project's AMD EPYC, compare included: ~80 GFLOP/s with
8-lane vectors, ~99 with 16). Vectors are 16 float32 lanes where the host
CPU has AVX-512, else 8; LLVM lowers them to whatever SIMD the host has, and
the fused multiply-add is used only where the host has one.

numba's on-disk cache of ``_kernels.py`` does not notice edits here: after
changing this module, delete ``imbtool/neighbors/__pycache__``.
"""

import llvmlite.binding as llb
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

_FEATURES = llb.get_host_cpu_features()
_LANES = 16 if _FEATURES.get("avx512f", False) else 8
_HAS_FMA = bool(_FEATURES.get("fma", False))
TILE_Q = 6
TILE_C = 2 * _LANES


@intrinsic
def product_tile(typingctx, A, a_start, B, b_start, k, bound, q_start, out, masks):
    """``out[i, r] = sum_j A[a_start + 6 j + i] * B[b_start + TILE_C j + r]``, a 6 x TILE_C tile.

    ``A`` and ``B`` are flat float32 arrays packed dimension-major (6 queries,
    then ``TILE_C`` candidates, per dimension), ``k`` dimensions long; ``out``
    is a flat float32 array of at least ``6 * TILE_C`` values, written row by
    row. ``masks[i]`` gets the bit mask of the ``r`` with
    ``out[i, r] <= bound[q_start + i]`` (float32 comparison); the return value
    has bit ``i`` set where that mask is not empty.
    """
    sig = types.int64(A, a_start, B, b_start, k, bound, q_start, out, masks)

    def codegen(context, builder, signature, args):
        f32 = ir.FloatType()
        vec = ir.VectorType(f32, _LANES)
        i64 = ir.IntType(64)
        i32 = ir.IntType(32)

        def data(i):
            return context.make_array(signature.args[i])(context, builder, args[i]).data

        def at(ptr, offset):
            return builder.gep(ptr, [ir.Constant(i64, offset)])

        def load_vector(ptr):
            return builder.load(builder.bitcast(ptr, vec.as_pointer()), align=4)

        undef = ir.Constant(vec, ir.Undefined)
        broadcast_mask = ir.Constant(ir.VectorType(i32, _LANES), [0] * _LANES)

        def broadcast(value):
            return builder.shuffle_vector(
                builder.insert_element(undef, value, ir.Constant(i32, 0)), undef,
                broadcast_mask)

        a = builder.gep(data(0), [args[1]])
        b = builder.gep(data(2), [args[3]])
        bound_ptr = builder.gep(data(5), [args[6]])
        out_ptr = data(7)
        masks_ptr = data(8)
        # Stack slots that LLVM promotes to registers: the 12 accumulators.
        accs = [cgutils.alloca_once_value(builder, ir.Constant(vec, [0.0] * _LANES))
                for _ in range(TILE_Q * 2)]
        fma = (cgutils.get_or_insert_function(builder.module, ir.FunctionType(vec, [vec] * 3),
                                              f"llvm.fma.v{_LANES}f32") if _HAS_FMA else None)
        with cgutils.for_range(builder, args[4]) as loop:
            b_row = builder.gep(b, [builder.mul(loop.index, ir.Constant(i64, TILE_C))])
            a_row = builder.gep(a, [builder.mul(loop.index, ir.Constant(i64, TILE_Q))])
            columns = (load_vector(b_row), load_vector(at(b_row, _LANES)))
            for i in range(TILE_Q):
                q = broadcast(builder.load(at(a_row, i)))
                for h, c in enumerate(columns):
                    old = builder.load(accs[2 * i + h])
                    new = (builder.call(fma, [q, c, old]) if fma is not None
                           else builder.fadd(builder.fmul(q, c), old))
                    builder.store(new, accs[2 * i + h])
        hits = ir.Constant(i64, 0)
        for i in range(TILE_Q):
            limit = broadcast(builder.load(at(bound_ptr, i)))
            mask = ir.Constant(i64, 0)
            for h in range(2):
                value = builder.load(accs[2 * i + h])
                builder.store(value, builder.bitcast(at(out_ptr, i * TILE_C + h * _LANES),
                                                     vec.as_pointer()), align=4)
                below = builder.bitcast(builder.fcmp_ordered("<=", value, limit),
                                        ir.IntType(_LANES))
                mask = builder.or_(mask, builder.shl(builder.zext(below, i64),
                                                     ir.Constant(i64, h * _LANES)))
            builder.store(mask, at(masks_ptr, i))
            any_bit = builder.zext(builder.icmp_unsigned("!=", mask, ir.Constant(i64, 0)), i64)
            hits = builder.or_(hits, builder.shl(any_bit, ir.Constant(i64, i)))
        return hits

    return sig, codegen
