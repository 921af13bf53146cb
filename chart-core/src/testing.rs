//! Helpers shared by unit tests.

/// Marsaglia's xorshift64: a fixed-seed source of random test inputs, the same sequence on
/// every run.
pub(crate) struct Xorshift(u64);

impl Xorshift {
    /// A generator starting from `seed` (not zero).
    pub(crate) fn new(seed: u64) -> Self {
        Xorshift(seed)
    }

    /// The next number of the sequence.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (which is not zero).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items` (which is not empty).
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}
