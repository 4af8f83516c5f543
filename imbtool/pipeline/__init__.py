"""Pipelines that resample, with weights and other row-aligned data kept in step.

A sampler changes the rows of the training data, which scikit-learn's own
``Pipeline`` cannot express; imbalanced-learn's ``Pipeline`` calls
``fit_resample`` on sampler steps during ``fit`` only, and passes data
through them untouched in ``predict``, ``predict_proba``, ``score`` and
``transform``. :class:`Pipeline` here is that pipeline, plus: fit params of
later steps that are row-aligned (``sample_weight``, ``groups``, any array
with one row per sample) follow each sampler's rows, with or without
scikit-learn's metadata routing. Synthetic rows take their seed's value, or
the interpolated one for the names given as ``"interpolate"`` in
``aligned_rules``.

**Weighted pipeline.** The classifier gets one weight per resampled row:

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from imbtool.datasets import load_dataset
>>> from imbtool.over_sampling import SMOTE
>>> from imbtool.pipeline import make_pipeline
>>> X, y = load_dataset("ecoli1", return_X_y=True)
>>> weight = np.where(X[:, 0] > 0.5, 2.0, 1.0)  # e.g. survey weights
>>> pipe = make_pipeline(SMOTE(random_state=0), LogisticRegression(),
...                      aligned_rules={"sample_weight": "interpolate"})
>>> pipe = pipe.fit(X, y, logisticregression__sample_weight=weight)
>>> smote = pipe.named_steps["smote"]  # the classifier got a weight per row:
>>> len(y), len(smote.sample_indices_) + len(smote.synthetic_sources_)
(336, 518)

The model equals the one fitted by hand on ``smote.fit_resample(X, y)`` with
``resample_aligned(smote, weight, rule="interpolate")``.

**Leakage rule.** Put the sampler inside the pipeline and cross-validate the
pipeline: every training fold is then resampled on its own and the held-out
fold is scored on original rows only. Resampling the whole data set before
splitting lets synthetic copies of test rows into training and inflates the
scores.

Examples
--------
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.model_selection import GridSearchCV
>>> from imbtool.datasets import load_dataset
>>> from imbtool.metrics import get_scorer
>>> from imbtool.over_sampling import SMOTE
>>> from imbtool.pipeline import make_pipeline
>>> X, y = load_dataset("ecoli1", return_X_y=True)
>>> pipe = make_pipeline(SMOTE(random_state=0), LogisticRegression())
>>> grid = {"smote__k_neighbors": [3, 5], "logisticregression__C": [0.1, 1.0]}
>>> search = GridSearchCV(pipe, grid, scoring=get_scorer("g_mean"), cv=3).fit(X, y)
>>> sorted(search.best_params_)
['logisticregression__C', 'smote__k_neighbors']
"""

from ._pipeline import Pipeline, make_pipeline

__all__ = ["Pipeline", "make_pipeline"]
