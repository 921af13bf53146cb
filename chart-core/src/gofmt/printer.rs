//! The printer behind `Sprint`, `Sprintln` and `Sprintf`: Go's `fmt` state machine (flags,
//! width, precision, verbs) applied to the value model.
//!
//! The structure follows Go's split between the operand level (which verb suits which kind,
//! how slices and maps recurse, the `%!verb(type=value)` error forms) and the formatting level
//! (padding, integer and float layout, quoting), because the exact output depends on which
//! level sees which flag.

use super::float::append_float;
use super::quote::{
    append_quoted, append_quoted_rune, can_backquote, decode_rune, is_print, rune_count,
};
use crate::value::{Kind, Value};

/// Go limits widths and precisions to a million; larger ones are treated as absent.
const MAX_WIDTH: i64 = 1_000_000;

/// Nesting depth past which slices and maps are no longer descended into. Go itself recurses
/// without bound (and dies on a map that contains itself); this keeps a cyclic map from
/// overflowing the stack.
const MAX_DEPTH: usize = 2_000;

/// The flags of one directive (Go's `fmtFlags`).
#[derive(Clone, Copy, Default)]
struct Flags {
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    /// `%+v`: the plus flag, moved aside because it means something else for `v`.
    plus_v: bool,
    /// `%#v`: Go-syntax output.
    sharp_v: bool,
}

/// An operand being printed, for the `%!verb(type=value)` error form. Map keys are printed
/// without being turned into a [`Value`] first.
#[derive(Clone, Copy)]
enum Operand<'v> {
    Value(&'v Value),
    Key(&'v str),
    Byte(u8),
}

/// Formats values into `out`, appending.
pub(super) struct Printer<'o> {
    out: &'o mut String,
    flags: Flags,
    wid: i64,
    prec: i64,
    /// Set while printing the operand of an error form, so that methods are not consulted.
    erroring: bool,
    /// Whether the format used an explicit argument index such as `%[2]d`.
    reordered: bool,
    /// Whether the most recent argument index was valid.
    good_arg_num: bool,
    /// Reused buffer for text that is built before being padded.
    scratch: String,
}

impl<'o> Printer<'o> {
    pub(super) fn new(out: &'o mut String) -> Printer<'o> {
        Printer {
            out,
            flags: Flags::default(),
            wid: 0,
            prec: 0,
            erroring: false,
            reordered: false,
            good_arg_num: true,
            scratch: String::new(),
        }
    }

    fn clear_flags(&mut self) {
        self.flags = Flags::default();
        self.wid = 0;
        self.prec = 0;
    }

    // ----- operand level -------------------------------------------------------------------

    /// `fmt.Print`: a space between two operands when neither is a string.
    pub(super) fn do_print(&mut self, args: &[Value]) {
        let mut prev_string = false;
        for (i, arg) in args.iter().enumerate() {
            let is_string = matches!(arg, Value::String(_));
            if i > 0 && !is_string && !prev_string {
                self.out.push(' ');
            }
            self.print_arg(arg, 'v');
            prev_string = is_string;
        }
    }

    /// `fmt.Println`: operands separated by spaces, then a newline.
    pub(super) fn do_println(&mut self, args: &[Value]) {
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            self.print_arg(arg, 'v');
        }
        self.out.push('\n');
    }

    /// Prints one operand with `verb` and the current flags (Go's `printArg`).
    pub(super) fn print_arg(&mut self, arg: &Value, verb: char) {
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.pad_str("<nil>"),
                _ => self.bad_verb(verb, None),
            }
            return;
        }
        match verb {
            'T' => {
                let name = arg.type_name();
                self.fmt_s(&name);
                return;
            }
            'p' => {
                self.fmt_pointer(arg, verb);
                return;
            }
            _ => {}
        }
        match arg {
            Value::Bytes(b) => self.fmt_bytes(b, verb, "[]byte"),
            Value::List(_) | Value::Map(_) | Value::Object(_) => {
                if !self.handle_methods(Operand::Value(arg), verb) {
                    self.print_value(arg, verb, 0);
                }
            }
            scalar => self.print_scalar(scalar, verb),
        }
    }

    /// Prints a value reached inside a slice or map, or a composite operand (Go's `printValue`).
    fn print_value(&mut self, value: &Value, verb: char, depth: usize) {
        if depth > 0 && self.handle_methods(Operand::Value(value), verb) {
            return;
        }
        match value {
            Value::Invalid | Value::Nil => {
                // A nil element of a `[]interface {}` or `map[string]interface {}`.
                if self.flags.sharp_v {
                    self.out.push_str("interface {}(nil)");
                } else {
                    self.out.push_str("<nil>");
                }
            }
            Value::Map(map) => {
                if depth >= MAX_DEPTH {
                    return;
                }
                if self.flags.sharp_v {
                    self.out.push_str(map.ty().name());
                    self.out.push('{');
                } else {
                    self.out.push_str("map[");
                }
                for (i, (key, item)) in map.entries().iter().enumerate() {
                    if i > 0 {
                        self.push_separator();
                    }
                    if !self.handle_methods(Operand::Key(key), verb) {
                        self.fmt_string(key, verb, Operand::Key(key));
                    }
                    self.out.push(':');
                    self.print_value(item, verb, depth + 1);
                }
                self.out.push(if self.flags.sharp_v { '}' } else { ']' });
            }
            Value::List(list) => {
                if depth >= MAX_DEPTH {
                    return;
                }
                if self.flags.sharp_v {
                    self.out.push_str(list.ty().name());
                    self.out.push('{');
                } else {
                    self.out.push('[');
                }
                for (i, item) in list.items().iter().enumerate() {
                    if i > 0 {
                        self.push_separator();
                    }
                    self.print_value(item, verb, depth + 1);
                }
                self.out.push(if self.flags.sharp_v { '}' } else { ']' });
            }
            Value::Bytes(bytes) => match verb {
                // Inside a container the static type is `[]uint8`, not `[]byte`.
                's' | 'q' | 'x' | 'X' => self.fmt_bytes(bytes, verb, "[]uint8"),
                _ => self.print_byte_elements(bytes, verb),
            },
            Value::Object(object) => {
                // Only reached for verbs that take no string (or for `%#v`); the object's own
                // text is the closest the model can come to Go's field-by-field output.
                let text = object.go_string();
                if self.flags.sharp_v || verb == 'v' {
                    self.out.push_str(&text);
                } else {
                    self.bad_verb(verb, Some(Operand::Value(value)));
                }
            }
            scalar => self.print_scalar(scalar, verb),
        }
    }

    /// The separator between elements of a slice or map.
    fn push_separator(&mut self) {
        if self.flags.sharp_v {
            self.out.push_str(", ");
        } else {
            self.out.push(' ');
        }
    }

    /// Prints the booleans, numbers and strings, which need no reflection in Go.
    fn print_scalar(&mut self, value: &Value, verb: char) {
        let operand = Operand::Value(value);
        match value {
            Value::Bool(b) => self.fmt_bool(*b, verb, operand),
            Value::Int(i, _) => self.fmt_integer_verb(*i as u64, true, verb, operand),
            Value::Uint(u, _) => self.fmt_integer_verb(*u, false, verb, operand),
            Value::Float(f) => self.fmt_float_verb(*f, verb, operand),
            Value::Complex(re, im) => self.fmt_complex(*re, *im, verb, operand),
            Value::String(s) => self.fmt_string(s, verb, operand),
            other => self.print_value(other, verb, 0),
        }
    }

    /// Go's `handleMethods`: `%w` is an error outside `Errorf`, and objects with a `String`
    /// method print through it for the verbs that take a string.
    fn handle_methods(&mut self, operand: Operand, verb: char) -> bool {
        if self.erroring {
            return false;
        }
        if verb == 'w' {
            self.bad_verb(verb, Some(operand));
            return true;
        }
        if let Operand::Value(Value::Object(object)) = operand
            && !self.flags.sharp_v
            && matches!(verb, 'v' | 's' | 'x' | 'X' | 'q')
        {
            let text = object.go_string();
            self.fmt_string(&text, verb, operand);
            return true;
        }
        false
    }

    /// `%!verb(type=value)`, or `%!verb(<nil>)`. The flags stay in force for the value.
    fn bad_verb(&mut self, verb: char, operand: Option<Operand>) {
        self.erroring = true;
        self.out.push_str("%!");
        self.out.push(verb);
        self.out.push('(');
        match operand {
            Some(Operand::Value(v)) if !v.is_nil() => {
                self.out.push_str(&v.type_name());
                self.out.push('=');
                self.print_arg(v, 'v');
            }
            Some(Operand::Key(k)) => {
                self.out.push_str("string=");
                self.fmt_s(k);
            }
            Some(Operand::Byte(b)) => {
                self.out.push_str("uint8=");
                self.fmt_integer(u64::from(b), 10, false, 'v', false);
            }
            _ => self.out.push_str("<nil>"),
        }
        self.out.push(')');
        self.erroring = false;
    }

    /// `%p`: maps, slices and pointers print an address. The model keeps no addresses, so a
    /// fixed one in Go's heap range stands in (Helm's own output varies from run to run).
    fn fmt_pointer(&mut self, value: &Value, verb: char) {
        let has_address = match value {
            Value::List(_) | Value::Map(_) | Value::Bytes(_) => true,
            Value::Object(o) => o.kind() == Kind::Ptr,
            _ => false,
        };
        if !has_address {
            self.bad_verb(verb, Some(Operand::Value(value)));
            return;
        }
        let sharp = self.flags.sharp;
        self.fmt0x64(0x00c0_0001_0000, !sharp);
    }

    fn fmt_bool(&mut self, b: bool, verb: char, operand: Operand) {
        match verb {
            't' | 'v' => self.pad_str(if b { "true" } else { "false" }),
            _ => self.bad_verb(verb, Some(operand)),
        }
    }

    fn fmt_integer_verb(&mut self, u: u64, signed: bool, verb: char, operand: Operand) {
        match verb {
            'v' if self.flags.sharp_v && !signed => self.fmt0x64(u, true),
            'v' | 'd' => self.fmt_integer(u, 10, signed, verb, false),
            'b' => self.fmt_integer(u, 2, signed, verb, false),
            'o' | 'O' => self.fmt_integer(u, 8, signed, verb, false),
            'x' => self.fmt_integer(u, 16, signed, verb, false),
            'X' => self.fmt_integer(u, 16, signed, verb, true),
            'c' => self.fmt_c(u),
            'q' => self.fmt_qc(u),
            'U' => self.fmt_unicode(u),
            _ => self.bad_verb(verb, Some(operand)),
        }
    }

    fn fmt_float_verb(&mut self, f: f64, verb: char, operand: Operand) {
        match verb {
            'v' => self.fmt_float(f, 'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(f, verb, -1),
            'f' | 'e' | 'E' => self.fmt_float(f, verb, 6),
            'F' => self.fmt_float(f, 'f', 6),
            _ => self.bad_verb(verb, Some(operand)),
        }
    }

    /// `(re+imi)`: both parts with the float verb; the imaginary part always has a sign.
    fn fmt_complex(&mut self, re: f64, im: f64, verb: char, operand: Operand) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let old_plus = self.flags.plus;
                self.out.push('(');
                self.fmt_float_verb(re, verb, operand);
                self.flags.plus = true;
                self.fmt_float_verb(im, verb, operand);
                self.out.push_str("i)");
                self.flags.plus = old_plus;
            }
            _ => self.bad_verb(verb, Some(operand)),
        }
    }

    fn fmt_string(&mut self, s: &str, verb: char, operand: Operand) {
        match verb {
            'v' if self.flags.sharp_v => self.fmt_q(&crate::value::gostring::to_go_bytes(s)),
            'v' | 's' => self.fmt_s(s),
            'x' => self.fmt_sbx(&crate::value::gostring::to_go_bytes(s), false),
            'X' => self.fmt_sbx(&crate::value::gostring::to_go_bytes(s), true),
            'q' => self.fmt_q(&crate::value::gostring::to_go_bytes(s)),
            _ => self.bad_verb(verb, Some(operand)),
        }
    }

    /// A `[]byte` operand: numbers under `%v`/`%d`, text under `%s`/`%q`, hex under `%x`.
    fn fmt_bytes(&mut self, bytes: &[u8], verb: char, type_name: &str) {
        match verb {
            'v' | 'd' => {
                if self.flags.sharp_v {
                    self.out.push_str(type_name);
                    self.out.push('{');
                    for (i, &b) in bytes.iter().enumerate() {
                        if i > 0 {
                            self.out.push_str(", ");
                        }
                        self.fmt0x64(u64::from(b), true);
                    }
                    self.out.push('}');
                } else {
                    self.out.push('[');
                    for (i, &b) in bytes.iter().enumerate() {
                        if i > 0 {
                            self.out.push(' ');
                        }
                        self.fmt_integer(u64::from(b), 10, false, verb, false);
                    }
                    self.out.push(']');
                }
            }
            's' => self.fmt_bs(bytes),
            'x' => self.fmt_sbx(bytes, false),
            'X' => self.fmt_sbx(bytes, true),
            'q' => self.fmt_q(bytes),
            _ => self.print_byte_elements(bytes, verb),
        }
    }

    /// A byte slice printed as a generic slice of `uint8` elements.
    fn print_byte_elements(&mut self, bytes: &[u8], verb: char) {
        if self.flags.sharp_v {
            self.out.push_str("[]uint8{");
        } else {
            self.out.push('[');
        }
        for (i, &b) in bytes.iter().enumerate() {
            if i > 0 {
                self.push_separator();
            }
            if !self.handle_methods(Operand::Byte(b), verb) {
                self.fmt_integer_verb(u64::from(b), false, verb, Operand::Byte(b));
            }
        }
        self.out.push(if self.flags.sharp_v { '}' } else { ']' });
    }

    // ----- formatting level ----------------------------------------------------------------

    /// Writes `n` padding characters: zeros for the `0` flag (only ever on the left), spaces
    /// otherwise.
    fn write_padding(&mut self, n: i64) {
        let fill = if self.flags.zero && !self.flags.minus {
            '0'
        } else {
            ' '
        };
        for _ in 0..n.max(0) {
            self.out.push(fill);
        }
    }

    /// Appends `s`, padded to the width on the left (or on the right with `-`).
    fn pad_str(&mut self, s: &str) {
        if !self.flags.wid_present || self.wid == 0 {
            self.out.push_str(s);
            return;
        }
        let width = self.wid - i64::try_from(s.chars().count()).unwrap_or(i64::MAX);
        if self.flags.minus {
            self.out.push_str(s);
            self.write_padding(width);
        } else {
            self.write_padding(width);
            self.out.push_str(s);
        }
    }

    /// Appends the text built in `scratch`, padded.
    fn pad_scratch(&mut self) {
        let text = std::mem::take(&mut self.scratch);
        self.pad_str(&text);
        self.scratch = text;
        self.scratch.clear();
    }

    /// Pads with spaces even when the `0` flag is set (Go's integer, rune and `%U` output
    /// has already put its zeros where they belong).
    fn pad_scratch_spaces(&mut self) {
        let zero = self.flags.zero;
        self.flags.zero = false;
        self.pad_scratch();
        self.flags.zero = zero;
    }

    /// Hexadecimal with or without a leading `0x`, as `%#v` prints unsigned integers.
    fn fmt0x64(&mut self, u: u64, leading_0x: bool) {
        let sharp = self.flags.sharp;
        self.flags.sharp = leading_0x;
        self.fmt_integer(u, 16, false, 'v', false);
        self.flags.sharp = sharp;
    }

    /// An integer in `base`, with sign, `0x`/`0b`/`0`/`0o` prefixes and precision zeros.
    fn fmt_integer(&mut self, u: u64, base: u64, signed: bool, verb: char, upper: bool) {
        let negative = signed && (u as i64) < 0;
        let u = if negative { u.wrapping_neg() } else { u };

        // `%.3d` and `%03d` both ask for leading zeros; a precision wins over the flag.
        let mut prec: i64 = 0;
        if self.flags.prec_present {
            prec = self.prec;
            if prec == 0 && u == 0 {
                let zero = self.flags.zero;
                self.flags.zero = false;
                self.write_padding(self.wid);
                self.flags.zero = zero;
                return;
            }
        } else if self.flags.zero && !self.flags.minus && self.flags.wid_present {
            prec = self.wid;
            if negative || self.flags.plus || self.flags.space {
                prec -= 1;
            }
        }

        let digit_set: &[u8; 16] = if upper {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        let mut digits = [0u8; 64];
        let mut start = digits.len();
        let mut rest = u;
        loop {
            start -= 1;
            digits[start] = digit_set[(rest % base) as usize];
            rest /= base;
            if rest == 0 {
                break;
            }
        }
        let digits = &digits[start..];
        let zeros = usize::try_from(prec)
            .unwrap_or(0)
            .saturating_sub(digits.len());

        let mut prefix = [0u8; 5];
        let mut prefix_len = 0;
        let mut put = |bytes: &[u8]| {
            for &b in bytes {
                if let Some(slot) = prefix.get_mut(prefix_len) {
                    *slot = b;
                    prefix_len += 1;
                }
            }
        };
        if negative {
            put(b"-");
        } else if self.flags.plus {
            put(b"+");
        } else if self.flags.space {
            put(b" ");
        }
        if verb == 'O' {
            put(b"0o");
        }
        if self.flags.sharp {
            match base {
                2 => put(b"0b"),
                8 if zeros == 0 && digits.first() != Some(&b'0') => put(b"0"),
                16 => put(if upper { b"0X" } else { b"0x" }),
                _ => {}
            }
        }
        let prefix = std::str::from_utf8(&prefix[..prefix_len]).unwrap_or_default();
        let digits = std::str::from_utf8(digits).unwrap_or_default();

        // The text is ASCII, so its width is its length; the `0` flag has already become
        // precision zeros, and any remaining padding is spaces.
        let len = i64::try_from(prefix.len() + zeros + digits.len()).unwrap_or(i64::MAX);
        let padding = if self.flags.wid_present {
            self.wid - len
        } else {
            0
        };
        if !self.flags.minus {
            push_repeated(self.out, ' ', padding);
        }
        self.out.push_str(prefix);
        push_repeated(self.out, '0', i64::try_from(zeros).unwrap_or(0));
        self.out.push_str(digits);
        if self.flags.minus {
            push_repeated(self.out, ' ', padding);
        }
    }

    /// `%U`: `U+0078`, or `U+0078 'x'` with `#` when the rune is printable.
    fn fmt_unicode(&mut self, u: u64) {
        let prec = if self.flags.prec_present && self.prec > 4 {
            self.prec
        } else {
            4
        };
        let mut hex = [0u8; 16];
        let mut start = hex.len();
        let mut rest = u;
        loop {
            start -= 1;
            hex[start] = b"0123456789ABCDEF"[(rest & 0xF) as usize];
            rest >>= 4;
            if rest == 0 {
                break;
            }
        }
        let hex = &hex[start..];
        let zeros = usize::try_from(prec).unwrap_or(0).saturating_sub(hex.len());
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        text.push_str("U+");
        text.extend(std::iter::repeat_n('0', zeros));
        text.extend(hex.iter().map(|&d| char::from(d)));
        if self.flags.sharp
            && let Some(c) = u32::try_from(u).ok().and_then(char::from_u32)
            && is_print(c)
        {
            text.push_str(" '");
            text.push(c);
            text.push('\'');
        }
        self.scratch = text;
        self.pad_scratch_spaces();
    }

    /// `%c`: the rune, or U+FFFD when the number is not one.
    fn fmt_c(&mut self, u: u64) {
        let c = u32::try_from(u)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        self.pad_str(c.encode_utf8(&mut buf));
    }

    /// `%q` of an integer: a quoted Go rune literal.
    fn fmt_qc(&mut self, u: u64) {
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        append_quoted_rune(&mut text, u, self.flags.plus);
        self.scratch = text;
        self.pad_scratch();
    }

    /// A float with Go's `fmt` rules for signs, `#`, and zero padding around `strconv`'s text.
    fn fmt_float(&mut self, f: f64, verb: char, default_prec: i32) {
        let prec = if self.flags.prec_present {
            i32::try_from(self.prec).unwrap_or(i32::MAX)
        } else {
            default_prec
        };
        let mut num = std::mem::take(&mut self.scratch);
        num.clear();
        // Reserve the first byte for a sign.
        num.push('+');
        append_float(&mut num, f, u8::try_from(verb).unwrap_or(b'g'), prec);
        if matches!(num.as_bytes().get(1), Some(b'-' | b'+')) {
            num.remove(0);
        }
        if self.flags.space && num.starts_with('+') && !self.flags.plus {
            num.replace_range(..1, " ");
        }
        // Infinities and NaN are never zero padded, and NaN only has a sign when asked.
        if matches!(num.as_bytes().get(1), Some(b'I' | b'N')) {
            let zero = self.flags.zero;
            self.flags.zero = false;
            if num.as_bytes().get(1) == Some(&b'N') && !self.flags.space && !self.flags.plus {
                num.remove(0);
            }
            self.scratch = num;
            self.pad_scratch();
            self.flags.zero = zero;
            return;
        }
        if self.flags.sharp && verb != 'b' {
            apply_sharp_float(&mut num, verb, prec);
        }
        if self.flags.plus || !num.starts_with('+') {
            // With zero padding, the sign goes before the zeros.
            let len = i64::try_from(num.len()).unwrap_or(i64::MAX);
            if self.flags.zero && !self.flags.minus && self.flags.wid_present && self.wid > len {
                let (sign, rest) = num.split_at(1);
                self.out.push_str(sign);
                self.write_padding(self.wid - len);
                self.out.push_str(rest);
                self.scratch = num;
                return;
            }
            self.scratch = num;
            self.pad_scratch();
            return;
        }
        num.remove(0);
        self.scratch = num;
        self.pad_scratch();
    }

    /// Truncates to the precision, counted in runes.
    fn truncate<'b>(&self, bytes: &'b [u8]) -> &'b [u8] {
        if !self.flags.prec_present {
            return bytes;
        }
        let mut remaining = self.prec;
        let mut at = 0;
        while let Some((_, width)) = decode_rune(bytes.get(at..).unwrap_or_default()) {
            if remaining <= 0 {
                return bytes.get(..at).unwrap_or(bytes);
            }
            remaining -= 1;
            at += width;
        }
        bytes
    }

    /// `%s` of a string.
    fn fmt_s(&mut self, s: &str) {
        if !self.flags.prec_present {
            self.pad_str(s);
            return;
        }
        let end = s
            .char_indices()
            .nth(usize::try_from(self.prec).unwrap_or(0))
            .map_or(s.len(), |(i, _)| i);
        self.pad_str(s.get(..end).unwrap_or(s));
    }

    /// `%s` of a byte slice. Bytes that are not UTF-8 cannot be kept in the output string and
    /// become U+FFFD; the width still counts them the way Go does.
    fn fmt_bs(&mut self, bytes: &[u8]) {
        let bytes = self.truncate(bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => self.pad_str(s),
            Err(_) => {
                let runes = i64::try_from(rune_count(bytes)).unwrap_or(i64::MAX);
                let text = crate::value::gostring::from_go_bytes(bytes);
                let width = if self.flags.wid_present {
                    self.wid - runes
                } else {
                    0
                };
                if !self.flags.minus {
                    self.write_padding(width);
                }
                self.out.push_str(&text);
                if self.flags.minus {
                    self.write_padding(width);
                }
            }
        }
    }

    /// `%x`/`%X` of a string or byte slice: two hex digits a byte, `0x` with `#`, a space
    /// between bytes with the space flag.
    fn fmt_sbx(&mut self, bytes: &[u8], upper: bool) {
        let digits: &[u8; 16] = if upper {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        let prefix = if upper { "0X" } else { "0x" };
        let mut length = bytes.len();
        if self.flags.prec_present {
            length = length.min(usize::try_from(self.prec).unwrap_or(0));
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.flags.space {
                if self.flags.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.flags.sharp {
                width += 2;
            }
        } else {
            if self.flags.wid_present {
                self.write_padding(self.wid);
            }
            return;
        }
        let width = i64::try_from(width).unwrap_or(i64::MAX);
        if self.flags.wid_present && self.wid > width && !self.flags.minus {
            self.write_padding(self.wid - width);
        }
        if self.flags.sharp {
            self.out.push_str(prefix);
        }
        for (i, &b) in bytes.iter().take(length).enumerate() {
            if self.flags.space && i > 0 {
                self.out.push(' ');
                if self.flags.sharp {
                    self.out.push_str(prefix);
                }
            }
            self.out.push(char::from(digits[usize::from(b >> 4)]));
            self.out.push(char::from(digits[usize::from(b & 0xF)]));
        }
        if self.flags.wid_present && self.wid > width && self.flags.minus {
            self.write_padding(self.wid - width);
        }
    }

    /// `%q` of a string or byte slice: a double-quoted Go literal (ASCII only with `+`), or a
    /// backquoted one with `#` when the text allows it.
    fn fmt_q(&mut self, bytes: &[u8]) {
        let bytes = self.truncate(bytes);
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        if self.flags.sharp && can_backquote(bytes) {
            text.push('`');
            text.push_str(std::str::from_utf8(bytes).unwrap_or_default());
            text.push('`');
        } else {
            append_quoted(&mut text, bytes, b'"', self.flags.plus);
        }
        self.scratch = text;
        self.pad_scratch();
    }

    // ----- Printf --------------------------------------------------------------------------

    /// `fmt.Sprintf`'s directive loop.
    pub(super) fn do_printf(&mut self, format: &str, args: &[Value]) {
        let fmt = format.as_bytes();
        let end = fmt.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0;
        while i < end {
            self.good_arg_num = true;
            let last = i;
            while i < end && fmt[i] != b'%' {
                i += 1;
            }
            if i > last {
                self.out.push_str(format.get(last..i).unwrap_or_default());
            }
            if i >= end {
                break;
            }
            i += 1;

            self.clear_flags();
            while i < end {
                match fmt[i] {
                    b'#' => self.flags.sharp = true,
                    b'0' => self.flags.zero = true,
                    b'+' => self.flags.plus = true,
                    b'-' => self.flags.minus = true,
                    b' ' => self.flags.space = true,
                    _ => break,
                }
                i += 1;
            }

            (arg_num, i, after_index) = self.arg_number(arg_num, fmt, i, args.len());

            if i < end && fmt[i] == b'*' {
                i += 1;
                (self.wid, self.flags.wid_present, arg_num) = int_from_arg(args, arg_num);
                if !self.flags.wid_present {
                    self.out.push_str("%!(BADWIDTH)");
                }
                // A negative width from an argument means left alignment.
                if self.wid < 0 {
                    self.wid = -self.wid;
                    self.flags.minus = true;
                    self.flags.zero = false;
                }
                after_index = false;
            } else {
                (self.wid, self.flags.wid_present, i) = parse_num(fmt, i, end);
                if after_index && self.flags.wid_present {
                    // "%[3]2d"
                    self.good_arg_num = false;
                }
            }

            if i + 1 < end && fmt[i] == b'.' {
                i += 1;
                if after_index {
                    // "%[3].2d"
                    self.good_arg_num = false;
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, fmt, i, args.len());
                if i < end && fmt[i] == b'*' {
                    i += 1;
                    (self.prec, self.flags.prec_present, arg_num) = int_from_arg(args, arg_num);
                    if self.prec < 0 {
                        self.prec = 0;
                        self.flags.prec_present = false;
                    }
                    if !self.flags.prec_present {
                        self.out.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    (self.prec, self.flags.prec_present, i) = parse_num(fmt, i, end);
                    if !self.flags.prec_present {
                        self.prec = 0;
                        self.flags.prec_present = true;
                    }
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, fmt, i, args.len());
            }

            let Some(verb) = format.get(i..).and_then(|rest| rest.chars().next()) else {
                self.out.push_str("%!(NOVERB)");
                break;
            };
            i += verb.len_utf8();

            if verb == '%' {
                // A literal percent takes no operand and ignores width and precision.
                self.out.push('%');
            } else if !self.good_arg_num {
                self.out.push_str("%!");
                self.out.push(verb);
                self.out.push_str("(BADINDEX)");
            } else if let Some(arg) = args.get(arg_num) {
                if verb == 'v' || verb == 'w' {
                    self.flags.sharp_v = self.flags.sharp;
                    self.flags.sharp = false;
                    self.flags.plus_v = self.flags.plus;
                    self.flags.plus = false;
                }
                self.print_arg(arg, verb);
                arg_num += 1;
            } else {
                self.out.push_str("%!");
                self.out.push(verb);
                self.out.push_str("(MISSING)");
            }
        }

        // Unused operands are reported unless the format picked operands by index.
        if !self.reordered && arg_num < args.len() {
            self.clear_flags();
            self.out.push_str("%!(EXTRA ");
            for (n, arg) in args.iter().skip(arg_num).enumerate() {
                if n > 0 {
                    self.out.push_str(", ");
                }
                if arg.is_nil() {
                    self.out.push_str("<nil>");
                } else {
                    self.out.push_str(&arg.type_name());
                    self.out.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.out.push(')');
        }
    }

    /// An explicit argument index `[n]` at `fmt[i..]`: the operand to use next, the position
    /// after the index, and whether one was found.
    fn arg_number(
        &mut self,
        arg_num: usize,
        fmt: &[u8],
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        if fmt.get(i) != Some(&b'[') {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, width, ok) = parse_arg_number(fmt.get(i..).unwrap_or_default());
        if ok && (0..num_args as i64).contains(&index) {
            return (index as usize, i + width, true);
        }
        self.good_arg_num = false;
        (arg_num, i + width, ok)
    }
}

/// Restores what the `#` flag asks of a float: a decimal point always, and for `%g`/`%x`
/// trailing zeros up to the precision (6 when none is given).
fn apply_sharp_float(num: &mut String, verb: char, prec: i32) {
    let mut digits = match verb {
        'v' | 'g' | 'G' | 'x' => {
            if prec == -1 {
                6
            } else {
                prec
            }
        }
        _ => 0,
    };
    let mut tail = String::new();
    let mut has_point = false;
    let mut saw_nonzero = false;
    let bytes = num.as_bytes();
    let mut cut = bytes.len();
    for (i, &c) in bytes.iter().enumerate().skip(1) {
        match c {
            b'.' => has_point = true,
            b'p' | b'P' => {
                cut = i;
                break;
            }
            b'e' | b'E' if verb != 'x' && verb != 'X' => {
                cut = i;
                break;
            }
            _ => {
                // Every other character, even the `x` of `0x`, counts toward the digits.
                if c != b'0' {
                    saw_nonzero = true;
                }
                if saw_nonzero {
                    digits -= 1;
                }
            }
        }
    }
    tail.push_str(num.get(cut..).unwrap_or_default());
    num.truncate(cut);
    if !has_point {
        // A lone zero digit counts once.
        if num.len() == 2 && num.as_bytes().get(1) == Some(&b'0') {
            digits -= 1;
        }
        num.push('.');
    }
    while digits > 0 {
        num.push('0');
        digits -= 1;
    }
    num.push_str(&tail);
}

/// Appends `n` copies of `c` (nothing when `n` is not positive).
fn push_repeated(out: &mut String, c: char, n: i64) {
    let n = usize::try_from(n).unwrap_or(0);
    out.extend(std::iter::repeat_n(c, n));
}

/// Go's `tooLarge`.
fn too_large(x: i64) -> bool {
    !(-MAX_WIDTH..=MAX_WIDTH).contains(&x)
}

/// A decimal number at `fmt[start..end]`: its value, whether there was one, and where it ends.
/// An absurdly long number consumes the rest of the format.
fn parse_num(fmt: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut is_num = false;
    let mut i = start;
    while i < end {
        let Some(&c) = fmt.get(i) else { break };
        if !c.is_ascii_digit() {
            break;
        }
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(c - b'0');
        is_num = true;
        i += 1;
    }
    (num, is_num, i)
}

/// `[n]` at the start of `fmt`: the zero-based index, the bytes consumed, and whether it parsed.
fn parse_arg_number(fmt: &[u8]) -> (i64, usize, bool) {
    if fmt.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..fmt.len() {
        if fmt[i] == b']' {
            let (width, ok, new_i) = parse_num(fmt, 1, i);
            if !ok || new_i != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// The operand at `arg_num` as a `*` width or precision: its value, whether it is an integer
/// small enough, and the next operand index.
fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let Some(arg) = args.get(arg_num) else {
        return (0, false, arg_num);
    };
    let (num, is_int) = match arg {
        Value::Int(i, _) => (*i, true),
        Value::Uint(u, _) => match i64::try_from(*u) {
            Ok(i) => (i, true),
            Err(_) => (0, false),
        },
        _ => (0, false),
    };
    if too_large(num) {
        (0, false, arg_num + 1)
    } else {
        (num, is_int, arg_num + 1)
    }
}
