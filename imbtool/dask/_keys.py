"""Random keys keyed to a row's global position, and the exact selection by key.

A row's key is a bijective 64-bit mix of its global position and the seed, so
the keys of a seed are a pseudo-random permutation of positions: the rows
with the ``n`` smallest keys of a class are a uniform random subset of size
``n`` of that class, and they are the same rows however the data are split
into partitions or spread over workers. Keys never tie (the mix is a
bijection), so "the ``n`` smallest" is always exactly ``n`` rows.
"""

import numpy as np

# splitmix64's constants (Steele, Lea & Flood, "Fast splittable pseudorandom
# number generators", OOPSLA 2014): its finaliser is a bijection of 64-bit
# words with full avalanche, so consecutive positions get independent-looking keys.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)

# The selection reads keys a digit of 16 bits at a time: a histogram of 2**16
# counts per class is 512 KiB, small beside a partition and enough that one
# round narrows a class of 10**10 rows to about 150,000 candidates.
DIGIT_BITS = 16
N_DIGITS = 64 // DIGIT_BITS
# Candidates gathered on the client once a digit bucket holds at most this many
# keys (8 bytes each: 32 MiB); a fuller bucket is split by the next digit first.
GATHER_LIMIT = 1 << 22


def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def seed_words(random_state):
    """Two 64-bit words from a ``RandomState``: the seed of the keys."""
    return tuple(int(w) for w in random_state.randint(0, 2**63 - 1, size=2, dtype=np.int64))


def position_keys(start, stop, seed):
    """Keys of the global positions ``start`` .. ``stop - 1`` under ``seed`` (two words)."""
    with np.errstate(over="ignore"):
        z = np.arange(start, stop, dtype=np.uint64) ^ np.uint64(seed[0])
        z = _mix(z * _GOLDEN + np.uint64(seed[1]))
        return _mix(z + _GOLDEN)


def digit(keys, level):
    """The ``level``-th 16-bit digit of each key, most significant first."""
    shift = np.uint64(64 - DIGIT_BITS * (level + 1))
    return ((keys >> shift) & np.uint64((1 << DIGIT_BITS) - 1)).astype(np.int64)


def prefix_mask(keys, prefix, level):
    """Keys whose first ``level`` digits equal ``prefix`` (every key at level 0)."""
    if level == 0:
        return np.ones(keys.shape, dtype=bool)
    shift = np.uint64(64 - DIGIT_BITS * level)
    return (keys >> shift) == np.uint64(prefix)
