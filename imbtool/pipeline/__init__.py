"""Pipelines that resample: imbalanced-learn's ``Pipeline`` and ``make_pipeline``.

A sampler changes the rows of the training data, which scikit-learn's own
``Pipeline`` cannot express; imbalanced-learn's ``Pipeline`` calls
``fit_resample`` on sampler steps during ``fit`` only, and passes data
through them untouched in ``predict``, ``predict_proba``, ``score`` and
``transform``. They are re-exported here so one import suffices.

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

from imblearn.pipeline import Pipeline, make_pipeline

__all__ = ["Pipeline", "make_pipeline"]
