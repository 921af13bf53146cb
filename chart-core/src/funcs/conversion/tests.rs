//! Sprig's conversion functions against the real Helm.

use crate::funcs::strings::conformance::{HelmCase, check_helm_cases};

#[test]
fn conversion_functions_match_helm() {
    check_helm_cases("conversion", HELM_CASES);
}

/// Cases rendered by Helm 4.1.4; regenerate the expectations with the real Helm, never by
/// hand.
const HELM_CASES: &[HelmCase] = &[
    HelmCase {
        template: r#"{{ toString 1 }} {{ toString 1.5 }} {{ toString true }} {{ toString nil }} {{ toString .Values.list }} {{ toString .Values.big }} {{ toString .Values.float }} {{ toString "s" }} {{ toString (int64 5) }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Ok(r#"1 1.5 true <nil> [1 a true <nil>] 1e+06 1.5 s 5"#),
    },
    HelmCase {
        template: r#"{{ int "12" }} {{ int "12.7" }} {{ int 12.7 }} {{ int -3.9 }} {{ int true }} {{ int "abc" }} {{ int nil }} {{ int .Values.neg }} {{ int .Values.str }} {{ int .Values.list }} {{ int .Values.bool }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Ok(r#"12 0 12 -3 1 0 0 -3 42 0 1"#),
    },
    HelmCase {
        template: r#"{{ int "0x1A" }} {{ int "010" }} {{ int "0o17" }} {{ int "0b11" }} {{ int " 5" }} {{ int "1e3" }} {{ int "12.0" }} {{ int "12.00" }} {{ int "12." }} {{ int "1_000" }} {{ int "+5" }} {{ int "-0x10" }} {{ int "0X1a" }} {{ int ".0" }} {{ int "0.0" }} {{ int "-0" }} {{ int "0_7" }} {{ int "0b_1" }} {{ int "_1" }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Ok(r#"26 8 15 3 0 0 12 12 0 1000 5 -16 26 0 0 0 7 1 0"#),
    },
    HelmCase {
        template: r#"{{ int 1e20 }} {{ int64 1e20 }} {{ int -1e20 }} {{ int64 .Values.huge }} {{ int64 "9223372036854775807" }} {{ int64 "9223372036854775808" }} {{ int "0x8000000000000000" }} {{ int "  " }} {{ int "" }} {{ int64 "-9223372036854775808" }} {{ int64 .Values.big }} {{ int64 "12.0" }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Ok(
            r#"-9223372036854775808 -9223372036854775808 -9223372036854775808 -9223372036854775808 9223372036854775807 0 0 0 0 -9223372036854775808 1000000 12"#,
        ),
    },
    HelmCase {
        template: r#"{{ float64 "1.5e3" }} {{ float64 "abc" }} {{ float64 3 }} {{ float64 "0x10" }} {{ float64 "1_000" }} {{ float64 "inf" }} {{ float64 "-Infinity" }} {{ float64 "nan" }} {{ float64 "0x1p4" }} {{ float64 "1e400" }} {{ float64 ".5" }} {{ float64 "5." }} {{ float64 "+.5e-2" }} {{ float64 "0x1.8p1" }} {{ float64 "1_0.5" }} {{ float64 "0x_1p0" }} {{ float64 "1e" }} {{ float64 true }} {{ float64 nil }} {{ float64 (int64 7) }} {{ float64 .Values.str }} {{ float64 "true" }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Ok(r#"1500 0 3 0 1000 +Inf -Inf NaN 16 0 0.5 5 0.005 3 10.5 1 0 1 0 7 42 0"#),
    },
    HelmCase {
        template: r#"{{ atoi "12" }} {{ atoi "12a" }} {{ atoi "-3" }} {{ atoi " 1" }} {{ atoi "99999999999999999999" }} {{ atoi "-99999999999999999999" }} {{ atoi "+5" }} {{ atoi "1_0" }} {{ atoi "0x10" }} {{ atoi "007" }} {{ atoi "" }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Ok(r#"12 0 -3 0 9223372036854775807 -9223372036854775808 5 0 0 7 0"#),
    },
    HelmCase {
        template: r#"{{ toDecimal "0777" }} {{ toDecimal "777" }} {{ toDecimal "9" }} {{ toDecimal "0o17" }} {{ toDecimal "-17" }} {{ toDecimal "+17" }} {{ toDecimal 17 }} {{ toDecimal "1_7" }} {{ toDecimal 17.0 }} {{ toDecimal true }} {{ toDecimal "7777777777777777777777" }} {{ toDecimal nil }} {{ toDecimal .Values.big }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Ok(r#"511 511 0 0 -15 15 15 0 15 0 0 0 0"#),
    },
    HelmCase {
        template: r#"{{ toStrings .Values.list | join "," }}|{{ toStrings "abc" | join "," }}|{{ toStrings nil | len }}|{{ toStrings .Values.ints | join "+" }}|{{ toStrings .Values.big | join "," }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Ok(r#"1,a,true|abc|0|1+2|1e+06"#),
    },
    HelmCase {
        template: r#"{{ add (int .Values.str) 1 }}|{{ contains "2" (toString 123) }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Ok(r#"43|true"#),
    },
    HelmCase {
        template: r#"{{ atoi 5 }}"#,
        values: r#"big: 1000000
float: 1.5
str: "42"
list: [1, a, true, null]
ints: [1, 2]
bool: true
neg: -3.9
huge: 1e20
"#,
        expected: Err(r#"t.yaml:1:8
  executing "t.yaml" at <5>:
    expected string; found 5"#),
    },
];
