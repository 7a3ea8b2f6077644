"""Multi-snapshot likelihood of a step (a leak's onset) in a window of pressure residuals.

The residuals ``R`` (times × sensors) after the no-leak model are modelled as

    R = 1·bᵀ + u_k·(q·s)ᵀ + E,     Cov(vec E) = P ⊗ M + I ⊗ N      (time-major stacking)

* ``b``: a constant per sensor (sensor bias, constant model mismatch) — a nuisance, profiled out;
* ``u_k``: 0 before the onset split ``k``, 1 from it on; ``s`` a candidate's signature, ``q ≥ 0`` its rate;
* ``P ⊗ M``: errors that drift slowly — every consumer's own demand deviation is an AR(1) process
  (``P[t, t'] = exp(−|t − t'| / τ)``), propagated to the sensors (``M``);
* ``I ⊗ N``: errors that are new at every reading — sensor noise and the inlet meter's noise (which moves
  every modelled pressure along ∂p/∂total demand).

A leak begins within one reading and then stays; demand deviations wander. Comparing only the means
before and after the onset treats the whole drift between their centres as noise; the generalised least
squares over every reading weighs the readings next to the onset most, where the consumers have had
little time to drift, and uses all of them for the sensors' white noise.

For every split ``k``, the GLS fit of ``q`` for a candidate ``s`` needs only ``z_k = U_kᵀ W r`` and
``A_k = U_kᵀ W U_k`` (``U_k = u_k ⊗ I``, ``W`` the precision with ``b`` profiled out), both obtained for all
splits at once from reverse cumulative sums: per candidate ``num = sᵀ z_k`` and ``den = sᵀ A_k s`` — the
same closed form as for two means.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class StepSeries:
    """Sufficient statistics of the step fit at every split (index = first reading after the onset)."""

    z: np.ndarray  # (T + 1, n): U_kᵀ W r
    A: np.ndarray  # (T + 1, n, n): U_kᵀ W U_k

    def at(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.z[k], self.A[k]


def ar1_kernel(times_s: np.ndarray, tau_s: float) -> np.ndarray:
    """Correlation of an AR(1) (Ornstein–Uhlenbeck) process between every pair of times."""
    t = np.asarray(times_s, dtype=float)
    return np.exp(-np.abs(t[:, None] - t[None, :]) / tau_s)


def step_series(R: np.ndarray, times_s: np.ndarray, M: np.ndarray, N: np.ndarray, tau_s: float,
                gain: np.ndarray | None = None, drift_gain: np.ndarray | None = None) -> StepSeries:
    """GLS statistics of a step at every split of the residual series ``R`` (see the module doc).

    ``gain[t]`` scales the step's signature at reading t and ``drift_gain[t]`` the drifting errors (pressure
    drops, hence sensitivities, grow with the flow through the network: a constant leak's signature follows
    the demand level, a consumer's deviation — itself a share of its demand — follows its square)."""
    T, n = R.shape
    if M.shape != (n, n) or N.shape != (n, n) or len(times_s) != T:
        raise ValueError(f"shapes do not match: R {R.shape}, M {M.shape}, N {N.shape}, times {len(times_s)}")
    h = np.ones(T) if gain is None else np.asarray(gain, dtype=float)
    g = np.ones(T) if drift_gain is None else np.asarray(drift_gain, dtype=float)
    # C = P̃ ⊗ M + I ⊗ N with P̃ = diag(g) P diag(g). With N = L Lᵀ, L⁻¹ M L⁻ᵀ = U Λ Uᵀ, P̃ = V Σ Vᵀ and
    # K = L⁻ᵀ U:  (V ⊗ K)ᵀ C (V ⊗ K) = Σ ⊗ Λ + I, so C⁻¹ = (V ⊗ K) diag(1 / (σ_a λ_b + 1)) (V ⊗ K)ᵀ and every
    # block (a ⊗ I)ᵀ C⁻¹ (c ⊗ I) is K diag(·) Kᵀ: no (T·n)-sized matrix is ever formed.
    sig, V = np.linalg.eigh(ar1_kernel(times_s, tau_s) * np.outer(g, g))
    L = np.linalg.cholesky(N)
    Li = np.linalg.inv(L)
    lam, U = np.linalg.eigh(Li @ M @ Li.T)
    K = Li.T @ U
    D = 1.0 / (np.outer(np.maximum(sig, 0.0), np.maximum(lam, 0.0)) + 1.0)  # (T, n)
    Y = V.T @ R @ K  # (T, n)
    a1 = V.T @ np.ones(T)
    step = np.tril(np.ones((T, T)))  # column k: 1 from reading k on
    beta = V.T @ (h[:, None] * step)  # (T, k)
    g1 = (a1**2) @ D  # (n,)  (1 ⊗ I)ᵀ C⁻¹ (1 ⊗ I) = K diag(g1) Kᵀ
    c = (beta * a1[:, None]).T @ D  # (k, n)
    e = (beta**2).T @ D
    rho1 = a1 @ (D * Y)
    rho = beta.T @ (D * Y)
    # Profiling out the constant: A_k = K diag(e − c²/g1) Kᵀ, z_k = K (ρ_k − c ρ₁ / g1).
    a_diag = np.maximum(e - c**2 / g1, 0.0)
    zeta = rho - c * rho1 / g1
    z = np.zeros((T + 1, n))
    z[:T] = zeta @ K.T
    A = np.zeros((T + 1, n, n))
    A[:T] = np.einsum("ib,kb,jb->kij", K, a_diag, K)
    return StepSeries(z, A)


def step_terms(z: np.ndarray, A: np.ndarray, S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate (column of ``S``): ``sᵀz`` and ``sᵀAs``, the log-likelihood of a rate q being
    ``q sᵀz − q² sᵀAs / 2`` up to a constant."""
    return z @ S, np.einsum("ij,ij->j", S, A @ S)


def step_glrt(z: np.ndarray, A: np.ndarray, S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate (column of ``S``): best rate q ≥ 0 and its χ² improvement ``2 q sᵀz − q² sᵀAs``
    (``z = C⁻¹δ``, ``A = C⁻¹`` for a single difference δ with covariance C)."""
    num, den = step_terms(z, A, S)
    q = np.maximum(num / den, 0.0)
    return q * num * 2 - q * q * den, q
