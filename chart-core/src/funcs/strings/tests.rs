//! Sprig's string functions against the real Helm.

use super::conformance::{HelmCase, check_helm_cases};
use super::*;

#[test]
fn string_functions_match_helm() {
    check_helm_cases("strings", HELM_CASES);
}

#[test]
fn absurd_sizes_fail_instead_of_allocating() {
    // A deliberate divergence: Go would try to allocate these.
    let err = go_repeat("ab", 1 << 40).unwrap_err();
    assert!(err.message.contains("exceed"), "{}", err.message);
    assert!(indent_text(1 << 30, "a\nb", false).is_err());
    assert!(indent_text(1 << 40, "a", true).is_err());
    assert_eq!(
        indent_text(-1, "a", true).unwrap_err().message,
        "strings: negative Repeat count"
    );
    assert_eq!(
        indent_text(40, "a\nb", true).unwrap(),
        format!("\n{0}a\n{0}b", " ".repeat(40))
    );
    assert_eq!(
        go_repeat("ab", i64::MAX).unwrap_err().message,
        "strings: Repeat output length overflow"
    );
    assert_eq!(go_repeat("", i64::MAX).unwrap(), "");
    assert_eq!(
        go_repeat("x", -1).unwrap_err().message,
        "strings: negative Repeat count"
    );
}

#[test]
fn go_case_mappings_are_simple_ones() {
    use go_unicode::{to_lower, to_title, to_upper};
    assert_eq!(to_upper('ß'), 'ß');
    assert_eq!(to_upper('\u{1FB3}'), '\u{1FBC}');
    assert_eq!(to_upper('\u{1F80}'), '\u{1F88}');
    assert_eq!(to_upper('\u{1F88}'), '\u{1F88}');
    assert_eq!(to_lower('\u{130}'), 'i');
    assert_eq!(to_title('\u{1C6}'), '\u{1C5}');
    assert_eq!(to_title('\u{10D0}'), '\u{10D0}');
    assert_eq!(to_upper('\u{10D0}'), '\u{1C90}');
    // Case pairs that Unicode 16 added and Go 1.25 (Unicode 15) does not know.
    assert_eq!(to_upper('\u{19B}'), '\u{19B}');
    assert_eq!(to_lower('\u{A7DC}'), '\u{A7DC}');
}

/// Cases rendered by Helm 4.1.4; regenerate the expectations with the real Helm, never by
/// hand.
const HELM_CASES: &[HelmCase] = &[
    HelmCase {
        template: r#"{{ abbrev 5 "hello world" }}|{{ abbrev 20 "hello world" }}|{{ abbrev 3 "hello" }}|{{ abbrev 4 "abcdef" }}|{{ abbrev 4 "" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"he...|hello world|hello|a...|"#),
    },
    HelmCase {
        template: r#"{{ abbrevboth 5 10 "1234 5678 9123" }}|{{ abbrevboth 0 5 "hello world" }}|{{ abbrevboth 5 8 "1234567890abcdef" }}|{{ abbrevboth 10 7 "1234567890abcdef" }}|{{ abbrevboth 3 4 "1234567890" }}|{{ abbrevboth -2 5 "1234567890" }}|{{ abbrevboth 20 10 "1234567890abcdef" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"...5678...|he...|...67...|...a...|1234567890|12...|...0abcdef"#),
    },
    HelmCase {
        template: r#"{{ trunc 3 "abcdef" }}|{{ trunc -2 "abcdef" }}|{{ trunc 10 "ab" }}|{{ trunc 0 "ab" }}|{{ trunc -10 "ab" }}|{{ trunc 3 "héllo" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"abc|ef|ab||ab|hé"#),
    },
    HelmCase {
        template: r#"[{{ trim "  a b \n\t" }}]|[{{ trim "  x　" }}]|{{ trimAll "$" "$$5.00$" }}|{{ trimall "ab" "abxba" }}|{{ trimAll "" "xx" }}|{{ trimPrefix "-" "--a--" }}|{{ trimSuffix "-" "--a--" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"[a b]|[x]|5.00|x|xx|-a--|--a-"#),
    },
    HelmCase {
        template: r#"{{ upper "aBc straße é ᾳ ŉ ǅ İ ა ﬀ" }}|{{ lower "AbC ÀÉ ᾼ İ ǅ Ω K" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"ABC STRAßE É ᾼ ŉ Ǆ İ Ა ﬀ|abc àé ᾳ i ǆ ω k"#),
    },
    HelmCase {
        template: r#"{{ title "hello wORLD foo-bar ǆemal hello_world ᾳ ა x.y o'neil 3rd αβ" }}|{{ untitle "Hello World  ÀB\tCd" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(
            r#"Hello WORLD Foo-Bar ǅemal Hello_world ᾼ ა X.Y O'Neil 3rd Αβ|hello world  àB	cd"#,
        ),
    },
    HelmCase {
        template: r#"{{ swapcase "Hello World" }}|{{ swapcase "ǅ hello wORLD 1ab ᾳ" }}|{{ swapcase "" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"hELLO wORLD|ǆ HELLO World 1AB ᾼ|"#),
    },
    HelmCase {
        template: r#"{{ camelcase "http_server" }}|{{ camelcase "http-server" }}|{{ camelcase "already Camel" }}|{{ camelcase "GOLANG_IS_GREAT" }}|{{ camelcase "_complex__case_" }}|{{ camelcase "a" }}|{{ camelcase "x-y z" }}|{{ camelcase "HTTPServer" }}|{{ camelcase "a__b" }}|{{ camelcase "" }}|{{ camelcase "ǅa" }}|{{ camelcase "-" }}|{{ camelcase "__" }}|{{ camelcase "a_" }}|{{ camelcase "ABC" }}|{{ camelcase "aBC dEF" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(
            r#"HttpServer|HttpServer|AlreadyCamel|GolangIsGreat|_Complex_Case_|A|XYZ|Httpserver|A_B||Ǆa|--|___|A_|Abc|ABCDEF"#,
        ),
    },
    HelmCase {
        template: r#"{{ snakecase "FirstName" }}|{{ snakecase "HTTPServer" }}|{{ snakecase "HTTP20xOK" }}|{{ snakecase "Duration2m3s" }}|{{ snakecase "Bld4Floor3rd" }}|{{ snakecase "http2xx" }}|{{ snakecase "NoHTTPS" }}|{{ snakecase "GO PATH" }}|{{ snakecase "a.b" }}|{{ snakecase "some--thing" }}|{{ snakecase "ÀÉÎ" }}|{{ snakecase "FooBar!Baz" }}|{{ snakecase "_a_" }}|{{ snakecase "A1B" }}|{{ snakecase "12ab" }}|{{ snakecase "V1.2.3" }}|{{ snakecase "€uro Price" }}|{{ snakecase "中文Name" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(
            r#"first_name|http_server|http_20x_ok|duration_2m3s|bld4_floor_3rd|http_2xx|no_https|go_path|a.b|some__thing|àéî|foo_bar!baz|_a_|a1_b|12ab|v1.2.3|€_uro_price|中文_name"#,
        ),
    },
    HelmCase {
        template: r#"{{ kebabcase "FirstName" }}|{{ kebabcase "HTTP20xOK" }}|{{ kebabcase "fooBar_baz qux" }}|{{ kebabcase "ABCDef" }}|{{ kebabcase "a  b" }}|{{ kebabcase "some_snake" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"first-name|http-20x-ok|foo-bar-baz-qux|abc-def|a--b|some-snake"#),
    },
    HelmCase {
        template: r#"{{ initials "First Try" }}|{{ initials "one" }}|{{ initials "élan vital" }}|{{ initials "  a  b " }}|{{ nospace "a b\tc\nd" }}|{{ nospace "é x y" }}|{{ nospace "héllo" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"FT|o|Ãv|ab|abcd|Ã©xÂy|héllo"#),
    },
    HelmCase {
        template: r#"{{ wrap 5 "a b c d e f g" }}|{{ wrap 3 "hello world foo" }}|{{ wrap 0 "a b" }}|{{ wrap 5 "  leading spaces here" }}|{{ wrap 10 "" }}|{{ wrap -3 "ab cd" }}|{{ wrap 4 "né é é" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"a b c
d e f
g|hello
world
foo|a
b|leading
spaces
here||ab
cd|né
é
é"#),
    },
    HelmCase {
        template: r#"{{ wrapWith 5 "|" "Hello World Foo" }}|{{ wrapWith 3 "-" "abcdefgh ij" }}|{{ wrapWith 4 "" "abcdefghij" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"Hello|World|Foo|abc-def-gh-ij|abcd
efgh
ij"#),
    },
    HelmCase {
        template: r#"{{ contains "b" "abc" }} {{ contains "x" "abc" }} {{ contains "" "abc" }} {{ hasPrefix "ab" "abc" }} {{ hasSuffix "bc" "abc" }} {{ hasPrefix "c" "abc" }} {{ hasPrefix "*" "abc" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"true false true true true false false"#),
    },
    HelmCase {
        template: r#"{{ replace " " "-" "a b  c" }}|{{ "x.y.z" | replace "." "" }}|{{ replace "" "-" "abc" }}|{{ replace "" "x" "" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"a-b--c|xyz|-a-b-c-|x"#),
    },
    HelmCase {
        template: r#"{{ plural "one" "many" 1 }} {{ plural "one" "many" 2 }} {{ plural "one" "many" 0 }} {{ plural "one" "many" -1 }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"one many many many"#),
    },
    HelmCase {
        template: r#"[{{ indent 2 "a\nb" }}][{{ indent 2 "a\n" }}][{{ indent 3 "" }}][{{ indent 0 "a" }}][{{ nindent 2 "a\nb" }}]"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"[  a
  b][  a
  ][   ][a][
  a
  b]"#),
    },
    HelmCase {
        template: r#"{{ indent -2 "a" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"error calling indent: strings: negative Repeat count"#),
    },
    HelmCase {
        template: r#"{{ nindent -1 "a" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"error calling nindent: strings: negative Repeat count"#),
    },
    HelmCase {
        template: r#"{{ repeat -1 "x" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"error calling repeat: strings: negative Repeat count"#),
    },
    HelmCase {
        template: r#"{{ repeat -1 "" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"error calling repeat: strings: negative Repeat count"#),
    },
    HelmCase {
        template: r#"{{ repeat 3 "ab" }}|{{ repeat 0 "x" }}|{{ repeat 0 "" }}|{{ repeat 3 "" }}|{{ "x" | repeat 2 }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"ababab||||xx"#),
    },
    HelmCase {
        template: r#"{{ substr 1 3 "hello" }}|{{ substr 0 100 "hello" }}|{{ substr -1 2 "hello" }}|{{ substr 2 -1 "hello" }}|{{ substr 5 20 "hello" }}|{{ substr -5 0 "hello" }}|"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"el|hello|he|llo|||"#),
    },
    HelmCase {
        template: r#"{{ substr 3 1 "hello" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"error calling substr: runtime error: slice bounds out of range [3:1]"#),
    },
    HelmCase {
        template: r#"{{ substr -1 10 "hello" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(
            r#"error calling substr: runtime error: slice bounds out of range [:10] with length 5"#,
        ),
    },
    HelmCase {
        template: r#"{{ substr -1 -2 "hello" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"error calling substr: runtime error: slice bounds out of range [:-2]"#),
    },
    HelmCase {
        template: r#"{{ substr 10 -1 "hello" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"error calling substr: runtime error: slice bounds out of range [10:5]"#),
    },
    HelmCase {
        template: r#"{{ substr 10 20 "hello" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"error calling substr: runtime error: slice bounds out of range [10:5]"#),
    },
    HelmCase {
        template: r#"{{ quote "a" }} {{ quote 1 }} {{ quote "a" "b" }} {{ quote "x\"y" }} {{ quote true }} [{{ quote nil }}] [{{ quote "a" nil "b" }}] [{{ .Values.missing | quote }}] {{ quote "é\t\u00ff\x01" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#""a" "1" "a" "b" "x\"y" "true" [] ["a" "b"] [] "é\tÿ\x01""#),
    },
    HelmCase {
        template: r#"{{ squote "a" }} {{ squote "it's" }} {{ squote 1 2 }} {{ squote nil "x" }} {{ "  x " | trim | quote | squote }} {{ quote .Values.num }} {{ squote .Values.l }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"'a' 'it's' '1' '2' 'x' '"x"' "5" '[1 a true <nil> 1.5]'"#),
    },
    HelmCase {
        template: r#"{{ cat "a" "b" 1 }}|{{ cat "a" nil "b" }}|{{ cat }}|{{ cat .Values.l .Values.num }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"a b 1|a b||[1 a true <nil> 1.5] 5"#),
    },
    HelmCase {
        template: r#"{{ split "," "a,b,c" }}|{{ (split "," "a,b,c")._1 }}|{{ splitn "," 2 "a,b,c" }}|{{ (splitn "" 2 "abc")._1 }}|{{ splitn "," 0 "a,b" }}|{{ split "" "ab" }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"map[_0:a _1:b _2:c]|b|map[_0:a _1:b,c]|bc|map[]|map[_0:a _1:b]"#),
    },
    HelmCase {
        template: r#"{{ splitList "," "a,,b" | join "|" }}/{{ len (splitList "," "") }}/{{ splitList "" "abc" | join "|" }}/{{ len (splitList "" "") }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"a||b/1/a|b|c/0"#),
    },
    HelmCase {
        template: r#"{{ join "-" .Values.l }}|{{ join "," "str" }}|{{ join "," nil }}|{{ join "," 5 }}|{{ join "," .Values.num }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"1-a-true-1.5|str||5|5"#),
    },
    HelmCase {
        template: r#"{{ hello }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Ok(r#"Hello!"#),
    },
    HelmCase {
        template: r#"{{ trim 5 }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"t.yaml:1:8
  executing "t.yaml" at <5>:
    expected string; found 5"#),
    },
    HelmCase {
        template: r#"{{ upper nil }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"t.yaml:1:9
  executing "t.yaml" at <nil>:
    cannot assign nil to string"#),
    },
    HelmCase {
        template: r#"{{ lower .Values.num }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"t.yaml:1:16
  executing "t.yaml" at <.Values.num>:
    wrong type for value; expected string; got float64"#),
    },
    HelmCase {
        template: r#"{{ nindent 2 5 }}"#,
        values: r#"l: [1, a, true, null, 1.5]
num: 5
s: hello
b64: aGk=
"#,
        expected: Err(r#"t.yaml:1:13
  executing "t.yaml" at <5>:
    expected string; found 5"#),
    },
];
