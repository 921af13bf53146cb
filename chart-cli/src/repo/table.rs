//! Helm's tables (`gosuri/uitable`): every cell padded to its column's width (capped at
//! `max_col_width`, longer text cut to width-3 characters plus `...`), cells joined by a tab.

/// Formats rows (the first is the header) as uitable does, with a final newline.
pub fn format(rows: &[Vec<String>], max_col_width: usize) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    if max_col_width > 0 {
        for w in &mut widths {
            *w = (*w).min(max_col_width);
        }
    }
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| resize(c, widths[i]))
            .collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// `strutil.Resize`: pad right to `width`, or cut to `width - 3` characters plus `...`.
fn resize(s: &str, width: usize) -> String {
    let len = s.chars().count();
    if len <= width {
        let mut t = s.to_string();
        t.extend(std::iter::repeat_n(' ', width - len));
        return t;
    }
    let keep = width.saturating_sub(3).max(1);
    let mut t: String = s.chars().take(keep).collect();
    t.push_str("...");
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_and_truncates_like_uitable() {
        let rows = vec![
            vec!["NAME".to_string(), "URL".to_string()],
            vec!["myrepo".to_string(), "http://127.0.0.1:18080/".to_string()],
        ];
        assert_eq!(
            format(&rows, 0),
            "NAME  \tURL                    \nmyrepo\thttp://127.0.0.1:18080/\n"
        );
        let long = "x".repeat(60);
        assert_eq!(resize(&long, 50), format!("{}...", "x".repeat(47)));
    }
}
