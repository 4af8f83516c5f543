"""SVMSMOTE's working-set SVM fit against scikit-learn's SVC on all rows, in one run.

    python benchmarks/bench_svm_working_set.py [--sizes 20000 50000] [--repeats 1]
        [--weight 0.99] [--flip-y 0.01] [--class-sep 1.0]

Data as in bench_over_sampling.py (make_classification(n, 20, weights=[0.99],
random_state=0)); --weight, --flip-y and --class-sep change the majority share
and the class overlap (more overlap, more support vectors). For each size:
median seconds of the working-set fit that SVMSMOTE's default uses from 30,000
rows up, and of SVC(gamma="scale") fitted on all rows (what imbalanced-learn's
SVMSMOTE does), the speed-up, the support vectors of each and those in common,
per class, and the working set's final size.
"""

import argparse

import numpy as np
from _common import machine_line, measure
from sklearn.datasets import make_classification
from sklearn.svm import SVC

from imbtool.over_sampling._svm import _working_set_svc


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 50_000])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--weight", type=float, default=0.99)
    parser.add_argument("--flip-y", type=float, default=0.01)
    parser.add_argument("--class-sep", type=float, default=1.0)
    args = parser.parse_args()

    def data(n):
        return make_classification(n, 20, weights=[args.weight], flip_y=args.flip_y,
                                   class_sep=args.class_sep, random_state=0)

    print(machine_line())
    print("| rows | working set s | all rows s | speed-up | final set | vectors (ours / all) "
          "| minority in common | majority in common |")
    print("|---|---|---|---|---|---|---|---|")
    _working_set_svc(*data(2000), 0)
    for n in args.sizes:
        X, y = data(n)
        t_ours, _, fitted = measure(lambda X=X, y=y: _working_set_svc(X, y, 0), args.repeats)
        t_all, _, full = measure(lambda X=X, y=y: SVC(gamma="scale", random_state=0).fit(X, y),
                                 args.repeats)
        if fitted is None:
            # SVMSMOTE then fits on all rows as well: its time is the sum.
            print(f"| {n:,} | fell back after {t_ours:.1f} | {t_all:.1f} | "
                  f"{t_all / (t_ours + t_all):.1f}x | - | - / {full.support_.size:,} | | |",
                  flush=True)
            continue
        svc, ours = fitted
        full_of = [full.support_[y[full.support_] == c] for c in (1, 0)]
        common = [f"{np.intersect1d(ours[y[ours] == c], full_c).size:,} of {full_c.size:,}"
                  for c, full_c in zip((1, 0), full_of)]
        print(f"| {n:,} | {t_ours:.1f} | {t_all:.1f} | {t_all / t_ours:.1f}x | "
              f"{svc.shape_fit_[0]:,} | {ours.size:,} / {full.support_.size:,} | "
              f"{common[0]} | {common[1]} |", flush=True)


if __name__ == "__main__":
    main()
