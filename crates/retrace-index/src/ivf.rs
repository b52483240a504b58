//! The semantic channel's storage: 8-bit vector codes and IVF centroids.
//!
//! A passage vector (unit length) is stored as signed bytes with one scale
//! (`x ~ byte * scale`), packed eight to a u64 fast field. Passages are
//! grouped by their nearest centroid ("list"); until the index holds enough
//! passages to train centroids, they sit in [`UNASSIGNED`] and are scanned
//! in full.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::manifest::write_atomic;
use super::{err, IndexErrorKind as K};
use crate::error::Result;

/// The list of vectors not assigned to a centroid (scanned in full).
pub const UNASSIGNED: u64 = u64::MAX;
/// The centroid file (write-once).
pub const CENTROIDS_FILE: &str = "centroids.bin";
const MAGIC: &[u8; 8] = b"RTIVF02\0";

/// Dot product, written so that the compiler vectorises it.
#[inline(always)]
fn dot_body(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// Dot product.
#[cfg(test)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    dot_body(a, b)
}

/// `out[i] = dot(rows[i], v)` for consecutive rows of length `v.len()`.
#[inline(always)]
fn dots_body(rows: &[f32], v: &[f32], out: &mut [f32]) {
    for (o, r) in out.iter_mut().zip(rows.chunks_exact(v.len())) {
        *o = dot_body(r, v);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dots_avx2(rows: &[f32], v: &[f32], out: &mut [f32]) {
    dots_body(rows, v, out)
}

/// `out[i] = dot(rows[i], v)`, with AVX2 where the processor has it.
pub fn dots(rows: &[f32], v: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2 (checked just above).
        return unsafe { dots_avx2(rows, v, out) };
    }
    dots_body(rows, v, out)
}

/// Unscaled dot products of a query with consecutive codes of `words` words.
#[inline(always)]
fn code_dots_body(q: &[f32], codes: &[u64], words: usize, out: &mut [f32]) {
    for (o, c) in out.iter_mut().zip(codes.chunks_exact(words)) {
        *o = dot_code_unscaled(q, c);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn code_dots_avx2(q: &[f32], codes: &[u64], words: usize, out: &mut [f32]) {
    code_dots_body(q, codes, words, out)
}

/// `out[i]` = unscaled dot product of `q` with code `i` of `codes`.
pub fn code_dots(q: &[f32], codes: &[u64], words: usize, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2 (checked just above).
        return unsafe { code_dots_avx2(q, codes, words, out) };
    }
    code_dots_body(q, codes, words, out)
}

/// A quantised vector.
#[derive(Debug, Clone)]
pub struct Code {
    pub scale: f32,
    pub words: Vec<u64>,
    /// Sign bits (bit `i % 64` of word `i / 64` is set when `v[i] > 0`).
    pub bits: Vec<u64>,
}

/// Quantises a vector into `words` u64 words (zero-padded).
pub fn quantize(v: &[f32], words: usize) -> Code {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 0.0 };
    let mut out = vec![0u64; words];
    for (i, x) in v.iter().enumerate() {
        let q = if scale > 0.0 {
            (x / scale).round().clamp(-127.0, 127.0) as i8
        } else {
            0
        };
        out[i / 8] |= (q as u8 as u64) << ((i % 8) * 8);
    }
    let mut bits = vec![0u64; v.len().div_ceil(64)];
    for (i, x) in v.iter().enumerate() {
        if *x > 0.0 {
            bits[i / 64] |= 1 << (i % 64);
        }
    }
    Code {
        scale,
        words: out,
        bits,
    }
}

/// Scores sign-bit codes against a float query: the sum of the query's
/// components where the code's bit is set (an asymmetric estimate of the
/// dot product, up to a constant), by one table lookup per code byte.
pub struct BitScorer {
    tables: Vec<[f32; 256]>,
}

impl BitScorer {
    /// The tables for a query.
    pub fn new(q: &[f32]) -> BitScorer {
        let tables = q
            .chunks(8)
            .map(|c| {
                // t[b] = t[b without its lowest bit] + the component of that bit
                let mut t = [0f32; 256];
                for b in 1..256usize {
                    let low = b.trailing_zeros() as usize;
                    t[b] = t[b & (b - 1)] + c.get(low).copied().unwrap_or(0.0);
                }
                t
            })
            .collect();
        BitScorer { tables }
    }

    /// The estimate for one code (`words` u64 words of sign bits).
    #[inline]
    pub fn score(&self, bits: &[u64]) -> f32 {
        let mut s = 0.0;
        for (w, word) in bits.iter().enumerate() {
            let bytes = word.to_le_bytes();
            for (k, b) in bytes.iter().enumerate() {
                if let Some(t) = self.tables.get(w * 8 + k) {
                    s += t[*b as usize];
                }
            }
        }
        s
    }
}

/// The approximate vector of a code.
pub fn dequantize(words: &[u64], scale: f32, dim: usize) -> Vec<f32> {
    (0..dim)
        .map(|i| ((words[i / 8] >> ((i % 8) * 8)) as u8 as i8) as f32 * scale)
        .collect()
}

/// Dot product of a float query (length `8 * words.len()`, zero-padded) with
/// a code, without the scale.
#[inline(always)]
pub fn dot_code_unscaled(q: &[f32], words: &[u64]) -> f32 {
    let mut acc = [0f32; 8];
    for (w, qs) in words.iter().zip(q.chunks_exact(8)) {
        let b = w.to_le_bytes();
        for k in 0..8 {
            acc[k] += qs[k] * (b[k] as i8) as f32;
        }
    }
    acc.iter().sum()
}

/// Spherical k-means: `k` unit centroids (row-major) for a sample of unit
/// vectors, and each sample's centroid.
fn kmeans(sample: &[&[f32]], k: usize, iterations: usize) -> (Vec<f32>, Vec<usize>) {
    let dim = sample[0].len();
    let n = sample.len();
    let k = k.clamp(1, n);
    let mut data = Vec::with_capacity(k * dim);
    for i in 0..k {
        data.extend_from_slice(sample[i * n / k]);
    }
    let assign_all = |data: &[f32]| -> Vec<usize> {
        sample
            .par_iter()
            .map_init(
                || vec![0f32; k],
                |scores, v| {
                    dots(data, v, scores);
                    argmax(scores)
                },
            )
            .collect()
    };
    let mut assign = assign_all(&data);
    for _ in 0..iterations {
        let mut sums = vec![0f32; k * dim];
        let mut counts = vec![0usize; k];
        for (v, &a) in sample.iter().zip(&assign) {
            counts[a] += 1;
            for (s, x) in sums[a * dim..(a + 1) * dim].iter_mut().zip(v.iter()) {
                *s += x;
            }
        }
        for j in 0..k {
            let row = &mut sums[j * dim..(j + 1) * dim];
            if counts[j] == 0 {
                // an empty cluster restarts at some sample
                row.copy_from_slice(sample[(j * 7919 + 13) % n]);
            }
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|x| *x /= norm);
            }
        }
        data = sums;
        assign = assign_all(&data);
    }
    (data, assign)
}

fn argmax(v: &[f32]) -> usize {
    let mut best = (f32::MIN, 0usize);
    for (i, &s) in v.iter().enumerate() {
        if s > best.0 {
            best = (s, i);
        }
    }
    best.1
}

/// Two-level IVF centroids: `cells` coarse centroids, each owning a run of
/// fine centroids; a fine centroid is a list. Assigning a vector costs
/// `cells + fine per cell` dot products instead of one per list.
#[derive(Debug, Clone)]
pub struct Centroids {
    pub dim: usize,
    /// Number of lists (fine centroids).
    pub k: usize,
    coarse: Vec<f32>,
    /// For each coarse cell, its range of fine centroids.
    ranges: Vec<(u32, u32)>,
    fine: Vec<f32>,
}

impl Centroids {
    /// Trains about `k` lists on a sample of unit vectors.
    pub fn train(sample: &[Vec<f32>], k: usize, iterations: usize) -> Centroids {
        let dim = sample[0].len();
        let refs: Vec<&[f32]> = sample.iter().map(|v| v.as_slice()).collect();
        let k = k.clamp(1, refs.len());
        let cells = ((k as f64).sqrt().round() as usize).max(1);
        let (coarse, assign) = kmeans(&refs, cells, iterations);
        let cells = coarse.len() / dim;
        let mut members: Vec<Vec<&[f32]>> = vec![Vec::new(); cells];
        for (v, &a) in refs.iter().zip(&assign) {
            members[a].push(v);
        }
        let mut fine = Vec::new();
        let mut ranges = Vec::with_capacity(cells);
        for (c, m) in members.iter().enumerate() {
            let start = (fine.len() / dim) as u32;
            if m.is_empty() {
                // an empty cell keeps its coarse centroid as its one list
                fine.extend_from_slice(&coarse[c * dim..(c + 1) * dim]);
            } else {
                // lists in proportion to the cell's share of the sample
                let kc = (k * m.len()).div_ceil(refs.len()).max(1);
                fine.extend(kmeans(m, kc, iterations).0);
            }
            ranges.push((start, (fine.len() / dim) as u32));
        }
        Centroids {
            dim,
            k: fine.len() / dim,
            coarse,
            ranges,
            fine,
        }
    }

    fn cell_rows(&self, c: usize) -> (usize, &[f32]) {
        let (a, b) = self.ranges[c];
        let (a, b) = (a as usize, b as usize);
        (a, &self.fine[a * self.dim..b * self.dim])
    }

    /// The list nearest to `v` (within its nearest coarse cell).
    pub fn nearest(&self, v: &[f32]) -> u64 {
        let mut scores = vec![0f32; self.ranges.len()];
        dots(&self.coarse, v, &mut scores);
        let (first, rows) = self.cell_rows(argmax(&scores));
        let mut fs = vec![0f32; rows.len() / self.dim];
        dots(rows, v, &mut fs);
        (first + argmax(&fs)) as u64
    }

    /// The `n` lists nearest to `v`, nearest first (searched within the
    /// nearest coarse cells).
    pub fn nearest_n(&self, v: &[f32], n: usize) -> Vec<u64> {
        let mut scores = vec![0f32; self.ranges.len()];
        dots(&self.coarse, v, &mut scores);
        let mut cells: Vec<(f32, usize)> =
            scores.iter().enumerate().map(|(i, &s)| (s, i)).collect();
        cells.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut s: Vec<(f32, usize)> = Vec::new();
        for &(_, c) in cells.iter().take(n.clamp(2, 8)) {
            let (first, rows) = self.cell_rows(c);
            let mut fs = vec![0f32; rows.len() / self.dim];
            dots(rows, v, &mut fs);
            s.extend(fs.into_iter().enumerate().map(|(i, x)| (x, first + i)));
        }
        s.sort_by(|a, b| b.0.total_cmp(&a.0));
        s.truncate(n);
        s.into_iter().map(|(_, i)| i as u64).collect()
    }

    /// Writes the centroid file unless one exists (it is write-once).
    pub fn save(&self, dir: &Path) -> Result<()> {
        if dir.join(CENTROIDS_FILE).exists() {
            return Ok(());
        }
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        for x in [self.dim, self.ranges.len(), self.k] {
            b.extend_from_slice(&(x as u32).to_le_bytes());
        }
        for &(a, e) in &self.ranges {
            b.extend_from_slice(&a.to_le_bytes());
            b.extend_from_slice(&e.to_le_bytes());
        }
        for x in self.coarse.iter().chain(&self.fine) {
            b.extend_from_slice(&x.to_le_bytes());
        }
        let h = xxhash_rust::xxh3::xxh3_64(&b);
        b.extend_from_slice(&h.to_le_bytes());
        write_atomic(dir, CENTROIDS_FILE, &b)
            .map_err(|e| err(dir, K::Io, format!("cannot write {CENTROIDS_FILE}: {e}")))
    }

    /// Reads the centroid file, if there is one.
    pub fn load(dir: &Path, dim: Option<usize>) -> Result<Option<Arc<Centroids>>> {
        let b = match std::fs::read(dir.join(CENTROIDS_FILE)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(err(
                    dir,
                    K::Io,
                    format!("cannot read {CENTROIDS_FILE}: {e}"),
                ))
            }
        };
        let bad = |why: &str| {
            err(
                dir,
                K::Corrupt,
                format!("{CENTROIDS_FILE} is damaged: {why}"),
            )
        };
        if b.len() < 28 || &b[..8] != MAGIC {
            return Err(bad("bad header"));
        }
        let (body, tail) = b.split_at(b.len() - 8);
        let h = u64::from_le_bytes(tail.try_into().expect("8 bytes"));
        if xxhash_rust::xxh3::xxh3_64(body) != h {
            return Err(bad("checksum mismatch"));
        }
        let u = |i: usize| u32::from_le_bytes(body[i..i + 4].try_into().expect("4")) as usize;
        let (d, cells, k) = (u(8), u(12), u(16));
        let floats = 20 + cells * 8;
        if k == 0
            || cells == 0
            || body.len() != floats + (cells + k) * d * 4
            || dim.is_some_and(|m| m != d)
        {
            return Err(bad("size does not match the model"));
        }
        let ranges: Vec<(u32, u32)> = (0..cells)
            .map(|c| (u(20 + c * 8) as u32, u(24 + c * 8) as u32))
            .collect();
        if ranges.iter().any(|&(a, e)| a > e || e as usize > k) {
            return Err(bad("bad list ranges"));
        }
        let all: Vec<f32> = body[floats..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4")))
            .collect();
        let fine = all[cells * d..].to_vec();
        let mut coarse = all;
        coarse.truncate(cells * d);
        Ok(Some(Arc::new(Centroids {
            dim: d,
            k,
            coarse,
            ranges,
            fine,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: Vec<f32>) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / n).collect()
    }

    #[test]
    fn codes_round_trip() {
        let v = unit((0..20).map(|i| (i as f32 * 0.37).sin()).collect());
        let c = quantize(&v, 3);
        let back = dequantize(&c.words, c.scale, 20);
        let mut q = v.clone();
        q.resize(24, 0.0);
        let d = dot_code_unscaled(&q, &c.words) * c.scale;
        assert!((d - 1.0).abs() < 0.01, "{d}");
        // the sign-bit estimate ranks the vector itself above its opposite
        let neg: Vec<f32> = v.iter().map(|x| -x).collect();
        let b = BitScorer::new(&v);
        assert!(b.score(&c.bits) > b.score(&quantize(&neg, 3).bits));
        assert!((dot(&v, &back) - 1.0).abs() < 0.01);
    }

    #[test]
    fn kmeans_separates_clusters() {
        let mut sample = Vec::new();
        for i in 0..200 {
            let j = (i % 7) as f32 * 0.01;
            sample.push(unit(if i % 2 == 0 {
                vec![1.0, j, 0.0]
            } else {
                vec![0.0, j, 1.0]
            }));
        }
        let c = Centroids::train(&sample, 4, 5);
        assert_ne!(c.nearest(&sample[0]), c.nearest(&sample[1]));
        let dir = std::env::temp_dir().join(format!("retrace-ivf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        c.save(&dir).unwrap();
        let back = Centroids::load(&dir, Some(3)).unwrap().unwrap();
        assert_eq!(back.nearest(&sample[1]), c.nearest(&sample[1]));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(c.nearest_n(&sample[0], 2)[0], c.nearest(&sample[0]));
    }
}
