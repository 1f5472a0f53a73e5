//! Bindings for `driftline_core::stats`: exact two-sample statistics on raw arrays.

use driftline_core::stats::{self, Alternative, KsMethod};
use numpy::PyReadonlyArray1;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::OrPy;

fn alternative(s: &str) -> PyResult<Alternative> {
    match s {
        "two-sided" | "two_sided" => Ok(Alternative::TwoSided),
        "less" => Ok(Alternative::Less),
        "greater" => Ok(Alternative::Greater),
        o => Err(PyValueError::new_err(format!(
            "alternative must be 'two-sided', 'less' or 'greater', got {o:?}"
        ))),
    }
}

fn method(s: &str) -> PyResult<KsMethod> {
    match s {
        "auto" => Ok(KsMethod::Auto),
        "exact" => Ok(KsMethod::Exact),
        "asymp" => Ok(KsMethod::Asymp),
        o => Err(PyValueError::new_err(format!(
            "method must be 'auto', 'exact' or 'asymp', got {o:?}"
        ))),
    }
}

fn method_name(m: KsMethod) -> &'static str {
    match m {
        KsMethod::Auto => "auto",
        KsMethod::Exact => "exact",
        KsMethod::Asymp => "asymp",
    }
}

/// `(statistic, pvalue, statistic_location, statistic_sign, method)`.
#[pyfunction]
pub fn ks_2samp(
    py: Python<'_>,
    a: PyReadonlyArray1<'_, f64>,
    b: PyReadonlyArray1<'_, f64>,
    alternative_: &str,
    method_: &str,
) -> PyResult<(f64, f64, f64, i8, &'static str)> {
    let (alt, m) = (alternative(alternative_)?, method(method_)?);
    let (a, b) = (a.as_slice()?, b.as_slice()?);
    let r = py.detach(|| stats::ks_2samp(a, b, alt, m)).py()?;
    Ok((
        r.statistic,
        r.pvalue,
        r.statistic_location,
        r.statistic_sign,
        method_name(r.method),
    ))
}

/// The p-value of a KS statistic `d` for sample sizes `n1`, `n2`: `(pvalue, method)`.
#[pyfunction]
pub fn ks_pvalue(
    d: f64,
    n1: u64,
    n2: u64,
    alternative_: &str,
    method_: &str,
) -> PyResult<(f64, &'static str)> {
    let (p, m) = stats::ks_pvalue(d, n1, n2, alternative(alternative_)?, method(method_)?).py()?;
    Ok((p, method_name(m)))
}

/// `scipy.stats.kstwo.sf(d, n)`.
#[pyfunction]
pub fn kstwo_sf(d: f64, n: u64) -> f64 {
    stats::kolmogorov_smirnov_sf(d, n)
}

/// `scipy.stats.chi2.sf(x, dof)`.
#[pyfunction]
pub fn chi2_sf(x: f64, dof: f64) -> f64 {
    stats::chi2_sf(x, dof)
}

/// `scipy.stats.wasserstein_distance`.
#[pyfunction]
#[pyo3(signature = (u, v, u_weights = None, v_weights = None))]
pub fn wasserstein_distance(
    py: Python<'_>,
    u: PyReadonlyArray1<'_, f64>,
    v: PyReadonlyArray1<'_, f64>,
    u_weights: Option<PyReadonlyArray1<'_, f64>>,
    v_weights: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<f64> {
    let (u, v) = (u.as_slice()?, v.as_slice()?);
    let uw = u_weights.as_ref().map(|w| w.as_slice()).transpose()?;
    let vw = v_weights.as_ref().map(|w| w.as_slice()).transpose()?;
    py.detach(|| stats::wasserstein_distance(u, v, uw, vw)).py()
}

/// `(statistic, pvalue, dof, cramers_v)` of the 2×k table of two count vectors.
#[pyfunction]
pub fn chi2_contingency_2xk(
    ref_counts: Vec<u64>,
    cur_counts: Vec<u64>,
) -> PyResult<(f64, f64, u64, f64)> {
    let r = stats::chi2_contingency_2xk(&ref_counts, &cur_counts).py()?;
    Ok((r.statistic, r.pvalue, r.dof, r.cramers_v))
}

/// `(statistic, pvalue, p_ref, p_cur)` of the pooled two-proportion z-test.
#[pyfunction]
pub fn two_proportion_ztest(
    success_ref: u64,
    n_ref: u64,
    success_cur: u64,
    n_cur: u64,
) -> PyResult<(f64, f64, f64, f64)> {
    let r = stats::two_proportion_ztest(success_ref, n_ref, success_cur, n_cur).py()?;
    Ok((r.statistic, r.pvalue, r.p_ref, r.p_cur))
}

/// A binned divergence on two count vectors: `psi`, `jensen_shannon`, `kl_divergence` or
/// `hellinger`; `param` is epsilon (psi, kl) or the log base (jensen_shannon).
#[pyfunction]
pub fn divergence(
    kind: &str,
    ref_counts: Vec<f64>,
    cur_counts: Vec<f64>,
    param: f64,
) -> PyResult<f64> {
    match kind {
        "psi" => stats::psi(&ref_counts, &cur_counts, param),
        "jensen_shannon" => stats::jensen_shannon(&ref_counts, &cur_counts, param),
        "kl_divergence" => stats::kl_divergence(&ref_counts, &cur_counts, param),
        "hellinger" => stats::hellinger(&ref_counts, &cur_counts),
        o => return Err(PyValueError::new_err(format!("unknown divergence {o:?}"))),
    }
    .py()
}

/// Reference-quantile bin edges of `reference` (sorted internally).
#[pyfunction]
pub fn quantile_edges(
    py: Python<'_>,
    reference: PyReadonlyArray1<'_, f64>,
    bins: usize,
) -> PyResult<Vec<f64>> {
    let r = reference.as_slice()?;
    Ok(py.detach(|| {
        let mut s = r.to_vec();
        s.sort_unstable_by(f64::total_cmp);
        stats::quantile_edges(&s, bins)
    }))
}

/// Counts of `values` in `(-inf, e1), [e1, e2), …, [e_{B-1}, +inf)`.
#[pyfunction]
pub fn bin_counts(
    py: Python<'_>,
    values: PyReadonlyArray1<'_, f64>,
    edges: Vec<f64>,
) -> PyResult<Vec<f64>> {
    let v = values.as_slice()?;
    Ok(py.detach(|| stats::bin_counts(v, &edges)))
}

/// Register the functions on the extension module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(ks_2samp, m)?)?;
    m.add_function(wrap_pyfunction!(ks_pvalue, m)?)?;
    m.add_function(wrap_pyfunction!(kstwo_sf, m)?)?;
    m.add_function(wrap_pyfunction!(chi2_sf, m)?)?;
    m.add_function(wrap_pyfunction!(wasserstein_distance, m)?)?;
    m.add_function(wrap_pyfunction!(chi2_contingency_2xk, m)?)?;
    m.add_function(wrap_pyfunction!(two_proportion_ztest, m)?)?;
    m.add_function(wrap_pyfunction!(divergence, m)?)?;
    m.add_function(wrap_pyfunction!(quantile_edges, m)?)?;
    m.add_function(wrap_pyfunction!(bin_counts, m)?)?;
    Ok(())
}
