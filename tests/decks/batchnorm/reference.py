"""Batch normalization, training mode: the reference of the batchnorm-forward drill and two
mistakes a learner makes. Run only in tutor's drill sandbox (numpy and the standard library)."""

import numpy as np


def batchnorm_forward(x, gamma, beta, eps):
    """Normalize each feature (column) over the batch with the biased variance, then scale and shift."""
    mean = x.mean(axis=0)
    var = x.var(axis=0)  # ddof=0: what torch.nn.BatchNorm normalizes with in training
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def unbiased_variance(x, gamma, beta, eps):
    """Divides by N - 1: the running-variance estimate, not what the batch is normalized with."""
    mean = x.mean(axis=0)
    var = x.var(axis=0, ddof=1)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def over_features(x, gamma, beta, eps):
    """Normalizes each example over its features (layer norm), not each feature over the batch."""
    mean = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta
