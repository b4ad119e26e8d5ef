// zero-Concentrated Differential Privacy accounting: costs, composition and the
// conversion to (epsilon, delta)-DP.
//
// A mechanism is rho-zCDP (Bun & Steinke 2016, Definition 1.1) when for all neighbouring
// D, D' and all alpha > 1 the Renyi divergence D_alpha(M(D) || M(D')) <= rho * alpha.
//  - Composition: rho-zCDP then rho'-zCDP is (rho + rho')-zCDP (Bun & Steinke 2016);
//    the ledger adds costs, rounding up.
//  - Gaussian (continuous or discrete) noise of variance parameter sigma^2 on a query of L2
//    sensitivity Delta: rho = Delta^2 / (2 sigma^2) (B&S Prop. 1.6; CKS 2020 for discrete noise).
//  - Pure epsilon-DP implies (epsilon^2 / 2)-zCDP (B&S Prop. 1.4).
//  - The exponential mechanism with parameter epsilon is epsilon-bounded-range, hence
//    (epsilon^2 / 8)-zCDP (Cesar & Rogers 2021, bounded-range composition; as AIM accounts it).
//  - rho-zCDP implies (epsilon, delta)-DP for every epsilon >= 0 with (Canonne, Kamath,
//    Steinke 2020, arXiv:2004.00010v3 p. 13, the bound private-pgm's cdp2adp.py cites)
//      delta = inf_{alpha > 1} exp((alpha - 1)(alpha rho - epsilon)) / (alpha - 1)
//                               * (1 - 1/alpha)^alpha,
//    tighter than the classic rho + 2 sqrt(rho log(1/delta)). This is the bound of
//    private-pgm's cdp2adp.py (cdp_delta, cdp_eps, cdp_rho), computed here without its
//    alpha >= 1.01 clamp.
//
// Numerics. log delta(alpha) is convex in alpha, so its minimiser is the root of the
// increasing derivative (2 alpha - 1) rho - epsilon + log(1 - 1/alpha), found by bisection
// to the last bit of alpha. Any alpha > 1 gives a valid (if looser) delta, so an imperfect
// minimiser errs on the safe side. EpsilonFromRho and RhoFromEpsilonDelta bisect on the
// monotone delta(rho, epsilon) until the bracket cannot shrink (to within an ulp) and
// return the safe end: epsilon rounded up, rho rounded down, aiming at a delta smaller
// than asked by a relative 1e-12 so that rounding inside the evaluation (~1e-15) cannot
// tip the result over. Agreement with mpmath at 50
// digits is tested to 1e-6 relative (observed ~1e-12; tests/privacy/vectors/).
//
// All functions are pure and thread-safe.
#pragma once

#include "synthscale/core/status.h"

namespace synthscale {

// delta(rho, epsilon) above, in [0, 1]. rho, epsilon finite and >= 0; rho = 0 gives 0.
// Errors: kInvalidArgument for NaN, infinite or negative arguments.
Result<double> DeltaFromRho(double rho, double epsilon);

// The smallest epsilon with delta(rho, epsilon) <= delta, rounded up. rho finite >= 0
// (rho = 0 gives 0), delta in (0, 1). Errors: kInvalidArgument otherwise (delta >= 1 says
// nothing; delta = 0 needs epsilon = infinity for any rho > 0).
Result<double> EpsilonFromRho(double rho, double delta);

// The largest rho with delta(rho, epsilon) <= delta, rounded down: the zCDP budget that
// guarantees (epsilon, delta)-DP. epsilon finite > 0, delta in (0, 1).
// Errors: kInvalidArgument otherwise.
Result<double> RhoFromEpsilonDelta(double epsilon, double delta);

// rho of a pure epsilon-DP mechanism, epsilon^2 / 2, rounded up. Errors: kInvalidArgument
// for NaN, infinite or negative epsilon.
Result<double> RhoFromPureEpsilon(double epsilon);

// rho of the exponential mechanism with parameter epsilon, epsilon^2 / 8, rounded up.
Result<double> RhoFromExponentialMechanism(double epsilon);

}  // namespace synthscale
