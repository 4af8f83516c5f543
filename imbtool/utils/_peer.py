"""Peer parameters that imbtool does not take, refused with the imbtool way.

Code written for imbalanced-learn or imbalanced-ensemble runs on imbtool by
changing the import. A constructor parameter of theirs that imbtool
deliberately leaves out must not fail with Python's bare "unexpected keyword
argument" (which says nothing of what to do) nor be silently accepted: it
raises a ``TypeError`` that names the parameter, the peer that has it and
the imbtool way.
"""

import functools


def refuse_peer_parameters(ways, *names):
    """Class decorator: ``__init__`` given one of ``names`` raises a TypeError with its way.

    ``ways`` maps a peer's parameter name to one sentence: which peer has it and
    what to do in imbtool instead; ``names`` picks the ones this class refuses
    (all of ``ways`` when none is given). The signature that ``get_params`` and
    ``clone`` read is unchanged (``functools.wraps``), so scikit-learn never
    sees these names. The names refused, with their sentences, are kept in the
    class's ``_peer_refused`` (inherited tables included) for the tests.
    """

    def decorate(cls):
        init = cls.__init__
        table = {**getattr(cls, "_peer_refused", {}),
                 **{name: ways[name] for name in (names or ways)}}

        @functools.wraps(init)
        def wrapper(self, *args, **kwargs):
            refused = sorted(set(kwargs) & set(table))
            if refused:
                name = refused[0]
                raise TypeError(f"{type(self).__name__}() does not take {name!r}: {table[name]}")
            init(self, *args, **kwargs)

        cls.__init__ = wrapper
        cls._peer_refused = table
        return cls

    return decorate
