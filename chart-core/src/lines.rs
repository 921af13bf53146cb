//! Splitting text at `\n`, as `str::split('\n')` does, but with `memchr`: rendered manifests
//! are split line by line several times per render, and the generic character searcher costs
//! more per line than the search itself.

/// The pieces of `text` between `\n`s: exactly what `text.split('\n')` yields.
pub(crate) fn split(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match memchr::memchr(b'\n', current.as_bytes()) {
            Some(i) => {
                rest = Some(&current[i + 1..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// The number of `\n`s in `text`.
pub(crate) fn count(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_as_str_split_does() {
        for text in [
            "", "\n", "a", "a\n", "\na", "a\nb", "a\n\nb\n", "\n\n", "é\nü\n",
        ] {
            let ours: Vec<&str> = super::split(text).collect();
            let std: Vec<&str> = text.split('\n').collect();
            assert_eq!(ours, std, "{text:?}");
            assert_eq!(super::count(text), text.matches('\n').count(), "{text:?}");
        }
    }
}
