//! Criterion benchmarks of the core kernels (no Python involved).
//!
//! cargo bench -p driftline-core --bench core

use std::hint::black_box;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use driftline_core::ddsketch::DDSketch;
use driftline_core::histogram::Histogram;
use driftline_core::ingest::profile_batch;
use driftline_core::kll::KllSketch;
use driftline_core::profile::Profile;
use driftline_core::rng::SplitMix64;
use driftline_core::schema::{ProfileConfig, Schema};

fn normals(n: usize, seed: u64) -> Vec<f64> {
    let mut r = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let u = (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let v = (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            (-2.0 * (u + 1e-300).ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        })
        .collect()
}

fn kernels(c: &mut Criterion) {
    let n = 10_000_000;
    let x = normals(n, 1);
    let mut g = c.benchmark_group("kernels_10M");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.bench_function("histogram_uniform_64", |b| {
        b.iter(|| {
            let mut h = Histogram::uniform(64, -6.0, 6.0).unwrap();
            h.update(black_box(&x));
            h
        })
    });
    let edges: Vec<f64> = (0..=10).map(|i| -2.0 + 0.4 * i as f64).collect();
    g.bench_function("histogram_edges_10", |b| {
        b.iter(|| {
            let mut h = Histogram::from_edges(edges.clone()).unwrap();
            h.update(black_box(&x));
            h
        })
    });
    g.bench_function("kll_update_slice", |b| {
        b.iter(|| {
            let mut k = KllSketch::try_new(200).unwrap();
            k.update_slice(black_box(&x));
            k
        })
    });
    g.bench_function("ddsketch_update_slice", |b| {
        b.iter(|| {
            let mut d = DDSketch::try_new(0.01, 4096).unwrap();
            d.update_slice(black_box(&x));
            d
        })
    });
    g.finish();
}

fn profile(c: &mut Criterion) {
    let rows = 1_000_000;
    let mut cols: Vec<(String, ArrayRef)> = Vec::new();
    for i in 0..20 {
        cols.push((
            format!("n{i}"),
            Arc::new(Float64Array::from(normals(rows, i))),
        ));
    }
    for j in 0..5u64 {
        let card = [5u64, 50, 500, 5000, 20][j as usize];
        let mut r = SplitMix64::new(100 + j);
        let v: Vec<String> = (0..rows)
            .map(|_| format!("c{}", r.next_u64() % card))
            .collect();
        cols.push((format!("c{j}"), Arc::new(StringArray::from(v))));
    }
    let batch = RecordBatch::try_from_iter(cols).unwrap();
    let schema = Schema::infer(&batch.schema()).unwrap();
    let template = Profile::new(schema, ProfileConfig::default(), &Default::default()).unwrap();
    let mut g = c.benchmark_group("profile");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows as u64));
    g.bench_function("1M_rows_20num_5cat", |b| {
        b.iter(|| profile_batch(&template, black_box(&batch)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, kernels, profile);
criterion_main!(benches);
