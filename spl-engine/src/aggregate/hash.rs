//! A small fast hasher for integer group keys and short strings (FxHash's
//! multiply-rotate scheme). Group-by hashing dominates aggregation time and
//! keys are engine-made, so SipHash's flooding resistance buys nothing here.

use std::hash::{BuildHasherDefault, Hasher};

/// Multiply-rotate hasher.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(26) ^ w).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    /// The state through MurmurHash3's 64-bit finaliser: a product keeps
    /// the trailing zeros of its input, and hashbrown picks a bucket from the
    /// low bits, so keys with many trailing zero bits (the `f64` bits of
    /// `1.5`, `3.0`, `4.5`... or of whole-second times) all fell in one
    /// bucket and grouping by 200,000 such numbers took seconds (issue 15).
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// `HashMap` builder using [`FxHasher`].
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// A `HashMap` with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;

/// A `HashSet` with [`FxHasher`].
pub(crate) type FxHashSet<K> = std::collections::HashSet<K, FxBuild>;

/// Text -> dense id (`0..`), the ids' texts kept in first-seen order: how
/// aggregations key strings by small integers.
#[derive(Default)]
pub(crate) struct Interner {
    ids: FxHashMap<String, u32>,
    /// The text of each id.
    pub(crate) values: Vec<String>,
}

impl Interner {
    /// The id of `s`, added when new.
    pub(crate) fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn distinguishes_keys() {
        let mut m: FxHashMap<Vec<u64>, u32> = FxHashMap::default();
        for i in 0..1000u64 {
            m.insert(vec![i, i / 7, 3], i as u32);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m.get(&[14u64, 2, 3][..]), Some(&14));
        let mut s: FxHashMap<String, u32> = FxHashMap::default();
        s.insert("abcdefgh".into(), 1);
        s.insert("abcdefgh\0".into(), 2);
        assert_eq!(s.len(), 2);
    }

    /// The low bits hashbrown takes its bucket from vary with keys whose own
    /// low bits are all zero.
    #[test]
    fn low_bits_vary_for_keys_with_trailing_zeros() {
        let build = FxBuild::default();
        for keys in [
            (1..=4096)
                .map(|i| (f64::from(i) * 1.5).to_bits())
                .collect::<Vec<u64>>(),
            (0..4096)
                .map(|i| (1_714_500_000.0 + f64::from(i) * 60.0).to_bits())
                .collect(),
            (0..4096u64).map(|i| i << 40).collect(),
        ] {
            let buckets: FxHashSet<u64> = keys.iter().map(|k| build.hash_one(k) & 0xfff).collect();
            assert!(buckets.len() > 2000, "{} of 4096 buckets", buckets.len());
        }
    }
}
