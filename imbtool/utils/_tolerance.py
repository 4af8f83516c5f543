"""The tolerance under which two floating-point values count as the same value."""

# Objective values, rates and probabilities are sums and ratios of float64
# weights whose last bits depend on the order of summation (cumulative sums
# over sorted scores, per-fold averages): two cuts with the same confusion
# counts can differ by a few ulps, and a rate of k/n written as a decimal
# bound (``min_recall=0.3``) may sit just above the rate that meets it. Values
# closer than this (relative to their size, absolute below 1) are treated as
# equal. 1e-12 is about 4500 ulps at 1.0: far wider than that summation noise
# and far narrower than any difference between two distinct operating points.
TIE_TOLERANCE = 1e-12


def tie_floor(best):
    """Smallest value that still ties with ``best`` (relative tolerance, absolute below 1)."""
    return best - TIE_TOLERANCE * max(1.0, abs(best))
