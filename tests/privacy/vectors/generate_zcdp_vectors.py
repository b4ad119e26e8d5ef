#!/usr/bin/env python3
"""Generate the zCDP <-> (epsilon, delta) conversion test vectors (zcdp_vectors.json).

Independent of the C++ code in src/synthscale/privacy/zcdp.cpp: it evaluates the bound of
Canonne, Kamath, Steinke 2020 (arXiv:2004.00010v3, page 13) in its published form

    delta(rho, eps) = inf_{alpha > 1} exp((alpha-1)(alpha*rho - eps)) / (alpha-1) * (1 - 1/alpha)^alpha

with mpmath at 40 significant digits, minimising by golden-section search over
t = log(alpha - 1) (the bound is convex in alpha, hence unimodal in t) instead of the
C++ code's bisection on the derivative, and inverting it by bisection in mpmath
arithmetic (on log rho for rho). Where private-pgm's cdp2adp clamps alpha >= 1.01 (delta
close to 1) these true infima are slightly smaller than its values; elsewhere they agree
to ~1e-15. Takes about three minutes.

Run from the repository root with the project's venv (mpmath==1.3.0):
    .venv/bin/python tests/privacy/vectors/generate_zcdp_vectors.py > tests/privacy/vectors/zcdp_vectors.json
"""
import json
import sys

import mpmath
from mpmath import mp, mpf

mp.dps = 40
GOLDEN_STEPS = 160  # shrinks the bracket by 0.618^160 ~ 1e-33 (the minimum value converges quadratically)
BISECTION_STEPS = 110  # shrinks the bracket by 2^-110 ~ 1e-33


def log_delta_at(rho, eps, t):
    """log of the CKS bound at alpha = 1 + exp(t), in the published form."""
    alpha_minus_1 = mp.exp(t)  # kept separately: 1 + e^t rounds to 1 for t < -92 at 40 digits
    alpha = 1 + alpha_minus_1
    one_minus_inverse = alpha_minus_1 / alpha  # 1 - 1/alpha
    value = mp.exp(alpha_minus_1 * (alpha * rho - eps)) / alpha_minus_1 * one_minus_inverse ** alpha
    return mp.log(value)


def log_delta(rho, eps):
    """log delta(rho, eps), capped at 0 (delta <= 1)."""
    rho, eps = mpf(rho), mpf(eps)
    low = -(rho + 60)  # alpha - 1 = e^low: below any minimiser for these parameters
    high = mp.log((eps + 1) / (2 * rho) + 2) + 1
    ratio = (mp.sqrt(5) - 1) / 2
    a, b = low, high
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = log_delta_at(rho, eps, c), log_delta_at(rho, eps, d)
    for _ in range(GOLDEN_STEPS):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = log_delta_at(rho, eps, c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = log_delta_at(rho, eps, d)
    return min(mpf(0), fc, fd)


def bisect(function, low, high, steps=BISECTION_STEPS):
    """The root of an increasing-or-decreasing function with a sign change on [low, high]."""
    f_low = function(low)
    for _ in range(steps):
        mid = (low + high) / 2
        f_mid = function(mid)
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2


def eps_from_rho(rho, delta):
    target = mp.log(mpf(delta))
    if log_delta(rho, 0) <= target:
        return mpf(0)
    high = mpf(rho) + 2 * mp.sqrt(mpf(rho) * mp.log(1 / mpf(delta))) + 1
    return bisect(lambda e: log_delta(rho, e) - target, mpf(0), high)


def rho_from_eps(eps, delta):
    target = mp.log(mpf(delta))
    high = mpf(eps) + 1
    while log_delta(high, eps) <= target:
        high *= 2
    # Bisect on log(rho): the bound varies smoothly there over many decades.
    return mp.exp(bisect(lambda lr: log_delta(mp.exp(lr), eps) - target, mp.log(high) - 60, mp.log(high)))


def main():
    rhos_delta = [1e-4, 1e-3, 0.01, 0.1, 0.5, 1.0, 2.0, 10.0]
    epsilons_delta = [0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0]
    rhos_eps = [1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 10.0, 100.0]
    epsilons_rho = [0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
    deltas = [1e-3, 1e-5, 1e-6, 1e-9, 1e-12]

    out = {
        "generator": "tests/privacy/vectors/generate_zcdp_vectors.py",
        "mpmath_version": mpmath.__version__,
        "digits": mp.dps,
        "bound": "CKS 2020 (arXiv:2004.00010v3 p. 13): delta = inf_a exp((a-1)(a rho - eps)) / (a-1) * (1 - 1/a)^a",
        "delta_from_rho": [],
        "epsilon_from_rho": [],
        "rho_from_epsilon": [],
    }
    for rho in rhos_delta:
        for eps in epsilons_delta:
            delta = mp.exp(log_delta(rho, eps))
            if delta > mpf("1e-250"):
                out["delta_from_rho"].append({"rho": rho, "epsilon": eps, "delta": float(delta)})
    for rho in rhos_eps:
        for delta in deltas:
            out["epsilon_from_rho"].append({"rho": rho, "delta": delta, "epsilon": float(eps_from_rho(rho, delta))})
    for eps in epsilons_rho:
        for delta in deltas:
            out["rho_from_epsilon"].append({"epsilon": eps, "delta": delta, "rho": float(rho_from_eps(eps, delta))})
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
