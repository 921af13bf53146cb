//! Go's `fmt` package, for the value model: what `{{ . }}`, `print`, `printf` and `println`
//! produce, byte for byte (as of Go 1.25, which Helm 4.1.4 is built with).
//!
//! - [`sprint`], [`sprintln`], [`sprintf`]: `fmt.Sprint`, `fmt.Sprintln`, `fmt.Sprintf`, with
//!   Go's verbs, flags, widths, precisions, argument indexes and error forms.
//! - [`write_sprint`], [`write_value`]: the same, appended to a caller's buffer, for the
//!   template engine's output.
//! - [`format_float`]: `strconv.FormatFloat(f, fmt, prec, 64)`.
//! - [`quote`], [`quote_to_ascii`], [`is_print`]: `strconv.Quote`, `QuoteToASCII`, `IsPrint`.
//!
//! Known gaps, all outside what templates normally reach: objects print through
//! [`Object::go_string`](crate::value::Object::go_string) for every verb (Go prints a plain
//! struct field by field), `%p` prints a fixed address, and `%s` of a `[]byte` that is not
//! UTF-8 shows U+FFFD where Go writes the raw bytes.

mod float;
#[rustfmt::skip]
mod print_table;
mod printer;
mod quote;

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use printer::Printer;
pub use quote::{append_quote, is_print, quote, quote_to_ascii};

use crate::value::Value;

/// `fmt.Sprint`: operands formatted with `%v`, with a space between two operands when
/// neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    write_sprint(&mut out, args);
    out
}

/// [`sprint`], appended to `out`.
pub fn write_sprint(out: &mut String, args: &[Value]) {
    match args {
        [single] => write_value(out, single),
        _ => Printer::new(out).do_print(args),
    }
}

/// `fmt.Sprint(v)` of one operand (what `{{ v }}` prints), appended to `out`. Strings,
/// integers and booleans take a path that allocates nothing beyond `out`.
pub fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Int(i, _) => {
            let _ = write!(out, "{i}");
        }
        Value::Uint(u, _) => {
            let _ = write!(out, "{u}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Invalid | Value::Nil => out.push_str("<nil>"),
        Value::Float(f) => float::append_float(out, *f, b'g', -1),
        other => Printer::new(out).print_arg(other, 'v'),
    }
}

/// `fmt.Sprintln`: operands formatted with `%v`, always separated by spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    Printer::new(&mut out).do_println(args);
    out
}

/// `fmt.Sprintf`, with Go's verbs, flags, width, precision and error forms
/// (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA int=2)`).
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::with_capacity(format.len() + 8 * args.len());
    Printer::new(&mut out).do_printf(format, args);
    out
}

/// One value formatted with a verb and no flags: `fmt.Sprintf("%" + verb, v)`.
pub fn format_value(value: &Value, verb: char) -> String {
    let mut format = [0u8; 5];
    format[0] = b'%';
    let len = 1 + verb.encode_utf8(&mut format[1..]).len();
    sprintf(
        std::str::from_utf8(&format[..len]).unwrap_or("%v"),
        std::slice::from_ref(value),
    )
}

/// `strconv.FormatFloat(f, fmt, prec, 64)` for `fmt` in `b'e' b'E' b'f' b'g' b'G'` (and the
/// binary `b'b'` and hexadecimal `b'x' b'X'` forms); `prec < 0` means the shortest
/// representation that round-trips.
pub fn format_float(f: f64, fmt: u8, prec: i32) -> String {
    let mut out = String::new();
    float::append_float(&mut out, f, fmt, prec);
    out
}
