"""Gradient descent on threshold networks, judged exactly.

:mod:`~solvers.gd.networks`
    Blum–Rivest networks (one hidden layer, an output truth table):
    :class:`~solvers.gd.networks.GDConfig`, :func:`~solvers.gd.networks.train_gd`.
:mod:`~solvers.gd.loading`
    Judd's loading networks: :func:`~solvers.gd.loading.train_gd_loading`.
:mod:`~solvers.gd.surrogates`
    The registry of relaxations of the threshold units:
    :class:`~solvers.gd.surrogates.Surrogate`, :data:`~solvers.gd.surrogates.SURROGATES`.
:mod:`~solvers.gd.optim`
    The one elementwise Adam/SGD step both engines use.
:mod:`~solvers.gd.torch_utils`
    Lazy torch import, devices, per-restart seeds, the batch-invariant exp and sigmoid.
"""
