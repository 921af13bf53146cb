//! The render's one random source.
//!
//! Every random template function (`randAlphaNum`, `uuidv4`, `shuffle`, ...) draws from the
//! [`Random`] owned by the render, so a seeded, reproducible mode needs no change in any
//! function.

use rand::rngs::StdRng;
use rand::{CryptoRng, Rng as _, RngExt as _, SeedableRng};

/// A random source. Seeded from the operating system unless a seed is given.
#[derive(Debug)]
pub struct Random {
    rng: StdRng,
}

impl Default for Random {
    fn default() -> Self {
        Random::from_entropy()
    }
}

impl Random {
    /// A source seeded from the operating system.
    pub fn from_entropy() -> Random {
        Random {
            rng: rand::make_rng(),
        }
    }

    /// A reproducible source: the same seed gives the same sequence.
    pub fn from_seed(seed: u64) -> Random {
        Random {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// A uniformly distributed `u64`.
    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A uniformly distributed integer in `0..n` (`n` must be positive).
    pub fn below(&mut self, n: u64) -> u64 {
        self.rng.random_range(0..n)
    }

    /// Fills `buf` with random bytes.
    pub fn fill(&mut self, buf: &mut [u8]) {
        self.rng.fill_bytes(buf);
    }

    /// The source as a cryptographically secure generator, for key generation, salts and IVs.
    ///
    /// The generator is ChaCha-based and seeded from the operating system unless the render
    /// asked for a fixed seed, so seeded renders also reproduce keys and certificates.
    pub fn crypto(&mut self) -> &mut (impl CryptoRng + use<>) {
        &mut self.rng
    }
}

#[cfg(test)]
mod tests {
    use super::Random;

    #[test]
    fn seeded_sources_repeat() {
        let (mut a, mut b) = (Random::from_seed(7), Random::from_seed(7));
        assert_eq!(a.next_u64(), b.next_u64());
        assert!(a.below(10) < 10);
    }
}
