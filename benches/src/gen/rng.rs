//! A tiny deterministic PRNG and arithmetic-only helpers.
//!
//! Fixture bytes must be identical on every platform, so nothing here calls
//! the platform's libm (`exp`, `sin`, `ln` may differ in the last ulp between
//! C libraries): noise comes from sums of uniforms and the few transcendental
//! helpers are series evaluated with `+ - * /` only, which IEEE 754 fixes.

/// SplitMix64: small, fast, and good enough for synthetic data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream for `label` under `seed`, so adding a stream
    /// never shifts the numbers of another one.
    pub fn stream(seed: u64, label: &str) -> Self {
        // FNV-1a of the label, mixed with the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        let mut r = Rng(seed ^ h);
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform integer in `[0, n)` (`n > 0`; modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// Bounded noise in `[-1, 1]`, bell-shaped (mean of three uniforms):
    /// bounded so that "quiet" data provably stays inside a threshold.
    pub fn bell(&mut self) -> f64 {
        let s = self.uniform() + self.uniform() + self.uniform();
        (s - 1.5) / 1.5
    }

    /// Approximately standard normal (Irwin-Hall with 12 uniforms).
    pub fn normalish(&mut self) -> f64 {
        let mut s = 0.0;
        for _ in 0..12 {
            s += self.uniform();
        }
        s - 6.0
    }

    /// A random lowercase alphanumeric string of length `n`.
    pub fn alnum(&mut self, n: usize) -> String {
        const CHARS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n)
            .map(|_| {
                let i = self.below(CHARS.len() as u64) as usize;
                char::from(CHARS.get(i).copied().unwrap_or(b'x'))
            })
            .collect()
    }

    /// A random lowercase hex string of length `n`.
    pub fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0'))
            .collect()
    }

    /// A random (version 4 shaped) UUID string.
    pub fn uuid(&mut self) -> String {
        let a = self.hex(8);
        let b = self.hex(4);
        let c = self.hex(3);
        let d = self.hex(3);
        let e = self.hex(12);
        let variant = ['8', '9', 'a', 'b'][self.below(4) as usize];
        format!("{a}-{b}-4{c}-{variant}{d}-{e}")
    }
}

/// `exp(x)` with arithmetic only: range reduction by ln 2, then a Taylor
/// series on `|r| <= ln2/2`, then an exact power-of-two scaling.
pub fn det_exp(x: f64) -> f64 {
    const LN2: f64 = std::f64::consts::LN_2;
    if x.is_nan() {
        return x;
    }
    let k = (x / LN2).round().clamp(-1000.0, 1000.0);
    let r = x - k * LN2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..25 {
        term = term * r / f64::from(i);
        sum += term;
    }
    sum * pow2(k as i32)
}

/// `sin(x)` with arithmetic only (reduction to `[-pi, pi]`, Taylor series).
pub fn det_sin(x: f64) -> f64 {
    const TAU: f64 = std::f64::consts::TAU;
    const PI: f64 = std::f64::consts::PI;
    let mut r = x - (x / TAU).floor() * TAU;
    if r > PI {
        r -= TAU;
    }
    let r2 = r * r;
    let mut term = r;
    let mut sum = r;
    for i in 1..30 {
        let n = f64::from(2 * i);
        term = -term * r2 / (n * (n + 1.0));
        sum += term;
    }
    sum
}

/// `2^k` built from the exponent bits (exact).
fn pow2(k: i32) -> f64 {
    let k = k.clamp(-1022, 1023);
    f64::from_bits(((k + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::stream(7, "a").next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::stream(7, "a").next_u64(),
            Rng::stream(7, "b").next_u64()
        );
        assert_ne!(
            Rng::stream(7, "a").next_u64(),
            Rng::stream(8, "a").next_u64()
        );
    }

    #[test]
    fn helpers_stay_in_range() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            let u = r.uniform();
            assert!((0.0..1.0).contains(&u));
            let b = r.bell();
            assert!((-1.0..=1.0).contains(&b));
            assert!(r.below(10) < 10);
        }
        assert_eq!(r.uuid().len(), 36);
    }

    #[test]
    fn series_match_libm_closely() {
        for i in -40..40 {
            let x = f64::from(i) * 0.37;
            assert!((det_exp(x) / x.exp() - 1.0).abs() < 1e-13, "exp {x}");
            assert!((det_sin(x) - x.sin()).abs() < 1e-12, "sin {x}");
        }
    }
}
