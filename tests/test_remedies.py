"""imbtool.remedies: one name per remedy, one way to put it around an estimator."""

import pytest
from sklearn.base import ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from imbtool.pipeline import Pipeline, make_pipeline
from imbtool.remedies import _registry, get_remedy, list_remedies, register_remedy, remedy_name


def test_every_public_class_is_registered_under_its_snake_case_name():
    import importlib

    names = set(list_remedies())
    for module_name in _registry._IMBTOOL_MODULES:
        module = importlib.import_module(module_name)
        for public in module.__all__:
            cls = getattr(module, public)
            if not isinstance(cls, type):
                continue
            remedy = hasattr(cls, "fit_resample") or issubclass(cls, ClassifierMixin)
            if remedy:
                assert remedy_name(public) in names, public
    assert {"none", "class_weight", "focal_loss"} <= names
    assert remedy_name("SMOTEENN") == "smote_enn" and remedy_name("SVMSMOTE") == "svm_smote"
    assert remedy_name("UnderBaggingClassifier") == "under_bagging"


def test_a_sampler_goes_before_the_final_step_of_an_imbtool_pipeline_without_a_scaler():
    plan = get_remedy("smote").plan(LogisticRegression(), 0)
    assert isinstance(plan.estimator, Pipeline)
    assert [n for n, _ in plan.estimator.steps] == ["sampler", "estimator"]
    assert plan.estimator.named_steps["sampler"].random_state == 0
    assert plan.route == "moved" and plan.prior == "counted"
    model = make_pipeline(StandardScaler(), LogisticRegression())
    plan = get_remedy("smote").plan(model, 0)
    assert [n for n, _ in plan.estimator.steps] == ["standardscaler", "sampler",
                                                    "logisticregression"]
    assert plan.route == "direct"
    # The estimator given is not changed.
    assert [n for n, _ in model.steps] == ["standardscaler", "logisticregression"]


def test_what_each_remedy_records_for_the_search():
    forest = RandomForestClassifier(n_estimators=3)
    spe = get_remedy("self_paced_ensemble")
    assert spe.kind == "wrapper" and spe.prior == "uniform" and spe.skips_ensembles
    assert "ensemble already" in spe.plan(forest, 0, auto=True).reason
    assert spe.plan(forest, 0).estimator is not None  # named: it runs anyway
    assert get_remedy("balanced_random_forest").standalone
    weighted = get_remedy("class_weight").plan(LogisticRegression(), 0)
    assert weighted.estimator.class_weight == "balanced" and not weighted.balance
    assert get_remedy("class_weight").plan(GaussianNB(), 0).balance
    assert "no class_weight" in get_remedy("class_weight").plan(KNeighborsClassifier(), 0).reason
    assert "LightGBM" in get_remedy("focal_loss").plan(LogisticRegression(), 0).reason


@pytest.mark.parametrize("kwargs, match", [
    (dict(name="smote"), "already registered"),
    (dict(name="smoteenn"), "former name of 'smote_enn'"),
    (dict(name="bad name"), "letters, digits"),
    (dict(family="magic"), "family must be one of"),
    (dict(kind="magic"), "kind must be one of"),
    (dict(prior="magic"), "prior must be one of"),
])
def test_register_remedy_rejects_bad_input(kwargs, match):
    args = dict(name="new_remedy", build=lambda estimator, random_state: estimator,
                family="baseline", source="tests")
    with pytest.raises(ValueError, match=match):
        register_remedy(**{**args, **kwargs})
    assert "new_remedy" not in list_remedies()


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown method 'smot'; valid methods are: .*smote"):
        get_remedy("smot")
