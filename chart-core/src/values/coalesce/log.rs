//! The warnings Helm logs while it processes dependencies and coalesces values, in the text
//! form Helm 4 prints them on stderr (`level=WARN msg="..." key=value`).

/// Collected log lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Log {
    lines: Vec<String>,
}

impl Log {
    /// An empty log.
    pub fn new() -> Log {
        Log::default()
    }

    /// The lines logged so far.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Takes the lines out.
    pub fn into_lines(self) -> Vec<String> {
        self.lines
    }

    /// A `log.Printf` message, which Helm 4 routes to slog at INFO level.
    pub(crate) fn info(&mut self, msg: String) {
        self.lines
            .push(format!("level=INFO msg={}", slog_value(&msg)));
    }

    /// A `slog.Warn` message with attributes.
    pub(crate) fn warn(&mut self, msg: &str, attrs: &[(&str, &str)]) {
        let mut line = format!("level=WARN msg={}", slog_value(msg));
        for (k, v) in attrs {
            line.push(' ');
            line.push_str(k);
            line.push('=');
            line.push_str(&slog_value(v));
        }
        self.lines.push(line);
    }
}

/// slog's text handler quotes a value that is empty or holds a space, a quote, `=` or a
/// character that is not printable.
fn slog_value(s: &str) -> String {
    let needs_quotes = s.is_empty()
        || s.chars()
            .any(|c| c == ' ' || c == '"' || c == '=' || c.is_control() || c == '\u{fffd}');
    if needs_quotes {
        crate::chart::go_quote(s)
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_slog() {
        let mut log = Log::new();
        log.warn(
            "ImportValues missing table from chart",
            &[("chart", "a"), ("error", "\"5\" is not a table")],
        );
        log.info("warning: skipped value for parent.x: Not a table.".into());
        assert_eq!(
            log.lines(),
            [
                "level=WARN msg=\"ImportValues missing table from chart\" chart=a error=\"\\\"5\\\" is not a table\"",
                "level=INFO msg=\"warning: skipped value for parent.x: Not a table.\"",
            ]
        );
    }
}
