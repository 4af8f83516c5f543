"""``predict_proba`` and ``predict`` of the fitted Dask classifiers, partition by partition."""

from sklearn.utils.validation import check_is_fitted

from ._collections import partition_labels, partition_proba


class PartitionPredictMixin:
    """Lazy predictions on every partition of a Dask ``X``.

    A class names the function that gives one partition's probabilities
    (``_proba_func(part, *args, columns)``, a ``staticmethod``), the
    arguments it takes (``_proba_args()``) and the fitted attribute checked
    first (``_fitted_attribute``).
    """

    def predict_proba(self, X):
        """Class probabilities, partition by partition (lazy).

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame

        Returns
        -------
        proba : dask.array.Array of shape (n_samples, n_classes) or dask.dataframe.DataFrame
            A DataFrame (one column per class, named by its label as a
            string, ``X``'s index) for a DataFrame ``X``.
        """
        check_is_fitted(self, self._fitted_attribute)
        return partition_proba(X, self._proba_func, self._proba_args(), self.classes_)

    def predict(self, X):
        """Most probable class, partition by partition (lazy).

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame

        Returns
        -------
        y_pred : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            A Series with ``X``'s index for a DataFrame ``X``.
        """
        return partition_labels(self.predict_proba(X), self.classes_)
