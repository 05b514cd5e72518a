//! Group-key table for vectorised group-by: fixed-width `u64` keys stored
//! in one arena, found through an open-addressing index of entry numbers.
//!
//! Compared with `HashMap<Vec<u64>, u32>` a new group costs no heap
//! allocation of its own, and entries are numbered densely in insertion
//! order, which is what the per-group accumulator vectors are indexed by.
//! Each slot holds the entry number and 32 bits of its hash, so a probe
//! touches the key arena only on a likely match: with millions of groups
//! (one per 10 s bucket and series) the table is cache-miss bound.

const EMPTY: u64 = u64::MAX;

/// Dense numbering of distinct fixed-width keys.
pub(crate) struct KeyTable {
    w: usize,
    keys: Vec<u64>,
    /// `hash_tag << 32 | entry`, or `EMPTY`.
    slots: Vec<u64>,
    len: usize,
}

/// A well-mixed 64-bit hash of the key words (multiply-xorshift per word,
/// murmur3 finaliser at the end so low bits depend on every input bit).
#[inline]
fn hash(key: &[u64]) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3 ^ key.len() as u64;
    for &k in key {
        h = (h ^ k).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^= h >> 29;
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

impl KeyTable {
    /// An empty table of keys with `w` words.
    pub(crate) fn new(w: usize) -> Self {
        KeyTable {
            w,
            keys: Vec::new(),
            slots: vec![EMPTY; 16],
            len: 0,
        }
    }

    /// Estimated bytes held (for the memory budget).
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.keys.capacity() + self.slots.capacity()) * 8
    }

    /// Number of distinct keys.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The key of entry `i` (empty if out of range).
    pub(crate) fn key(&self, i: usize) -> &[u64] {
        self.keys.get(i * self.w..(i + 1) * self.w).unwrap_or(&[])
    }

    /// The entry number of `key`, inserting it if new.
    #[inline]
    pub(crate) fn find_or_insert(&mut self, key: &[u64]) -> u32 {
        let h = hash(key);
        let tag = h >> 32;
        let mask = self.slots.len() - 1;
        let mut pos = (h as usize) & mask;
        loop {
            let s = self.slots[pos];
            if s == EMPTY {
                break;
            }
            if s >> 32 == tag && self.key((s & 0xffff_ffff) as usize) == key {
                return s as u32;
            }
            pos = (pos + 1) & mask;
        }
        let id = self.len as u32;
        self.slots[pos] = tag << 32 | u64::from(id);
        self.keys.extend_from_slice(key);
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let mask = size - 1;
        let mut slots = vec![EMPTY; size];
        for i in 0..self.len {
            let h = hash(self.key(i));
            let mut pos = (h as usize) & mask;
            while slots[pos] != EMPTY {
                pos = (pos + 1) & mask;
            }
            slots[pos] = (h >> 32) << 32 | i as u64;
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keys_densely_in_insertion_order() {
        let mut t = KeyTable::new(3);
        for i in 0..10_000u64 {
            assert_eq!(t.find_or_insert(&[i / 100, i % 100, 7]), i as u32);
        }
        assert_eq!(t.len(), 10_000);
        assert_eq!(t.find_or_insert(&[5, 7, 7]), 507);
        assert_eq!(t.key(507), &[5, 7, 7]);
        assert_eq!(t.len(), 10_000);
        let mut empty = KeyTable::new(0);
        assert_eq!(empty.find_or_insert(&[]), 0);
        assert_eq!(empty.find_or_insert(&[]), 0);
        assert_eq!(empty.len(), 1);
    }
}
