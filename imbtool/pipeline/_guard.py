"""A clear error for a sampler placed where rows cannot be resampled.

scikit-learn's ``Pipeline``, ``FeatureUnion`` and ``ColumnTransformer`` accept
a step only if ``hasattr(step, "transform")``; a sampler has no ``transform``,
so scikit-learn's message ("should be transformers and implement fit and
transform") never says what to use instead. ``hasattr`` swallows only
``AttributeError``, so the descriptor below answers those three validators
with a ``TypeError`` naming :class:`imbtool.pipeline.Pipeline` and behaves as
an absent attribute for every other caller (imbalanced-learn's ``Pipeline``
included, which must see a sampler without ``transform``).
"""

import sys

# (module, function) of the scikit-learn validators whose hasattr probe gets the message.
_PLAIN_VALIDATORS = {
    ("sklearn.pipeline", "_validate_steps"),
    ("sklearn.pipeline", "_validate_transformers"),
    ("sklearn.compose._column_transformer", "_validate_transformers"),
}


class _NoTransform:
    """Class attribute ``transform`` that is absent except to scikit-learn's step validators."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        caller = sys._getframe(1)
        if (caller.f_globals.get("__name__"), caller.f_code.co_name) in _PLAIN_VALIDATORS:
            kind = type(instance if instance is not None else owner).__name__
            raise TypeError(
                f"{kind} is a sampler: it changes the training rows with fit_resample, which a "
                "scikit-learn Pipeline, FeatureUnion or ColumnTransformer cannot do. Use "
                "imbtool.pipeline.Pipeline or imbtool.pipeline.make_pipeline (imbalanced-learn's "
                "pipeline), which resamples during fit only."
            )
        raise AttributeError(f"{owner.__name__!r} object has no attribute {self.name!r}")


class PlainPipelineGuardMixin:
    """Mixin for samplers: a clear error when put in a scikit-learn pipeline.

    Listed before the imbalanced-learn base class, e.g.
    ``class _SyntheticOverSampler(PlainPipelineGuardMixin, BaseOverSampler)``.
    """

    transform = _NoTransform()
