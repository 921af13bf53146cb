//! Sprig's regular-expression functions against the real Helm.

use super::*;
use crate::funcs::strings::conformance::{HelmCase, check_helm_cases};

#[test]
fn regex_functions_match_helm() {
    check_helm_cases("regex", HELM_CASES);
}

#[test]
fn translation_spells_out_go_semantics() {
    let t = |expr: &str| translate(expr).map(|t| t.pattern);
    assert_eq!(t(r"\d\s\w").unwrap(), r"[0-9][\t\n\x0C\r ][0-9A-Za-z_]");
    assert_eq!(t("^a$").unwrap(), r"\Aa\z");
    assert_eq!(t("(?m)^").unwrap(), "(?m:^)");
    assert_eq!(t("(?i)a").unwrap(), "(?i:a)");
    assert_eq!(t("(?U)a*").unwrap(), "(?:a)*?");
    assert_eq!(t(r"\Q.\E").unwrap(), r"\x{2E}");
    assert_eq!(
        t("(a").unwrap_err().to_string(),
        "error parsing regexp: missing closing ): `(a`"
    );
    assert_eq!(
        translate("(?P<x>a)(?P<x>b)").map(|t| t.names).unwrap(),
        ["", "x", "x"]
    );
}

#[test]
fn deep_nesting_is_reported_as_go_does() {
    let deep = format!("{}a{}", "(".repeat(1200), ")".repeat(1200));
    let err = GoRegex::compile(&deep).unwrap_err();
    assert_eq!(err.code, "expression nests too deeply");
    assert!(GoRegex::compile(&format!("{}a{}", "(".repeat(300), ")".repeat(300))).is_ok());
}

/// Cases rendered by Helm 4.1.4; regenerate the expectations with the real Helm, never by
/// hand.
const HELM_CASES: &[HelmCase] = &[
    HelmCase {
        template: r#"{{ mustRegexMatch "a**" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid nested repetition operator: `**`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "a*?*" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid nested repetition operator: `*?*`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "a{2}*" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid nested repetition operator: `{2}*`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "*a" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing argument to repetition operator: `*`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "a|*" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing argument to repetition operator: `*`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(*)" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing argument to repetition operator: `*`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "a{1001}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid repeat count: `{1001}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "a{2,1}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid repeat count: `{2,1}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(a{500}){3}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid repeat count: `{3}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "((a{10}){10}){11}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid repeat count: `{11}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "a{100000000}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid repeat count: `{100000000}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "a{1,100000000}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid repeat count: `{1,100000000}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "a)" "a" }}"#,
        values: r#""#,
        expected: Err(r#"error calling mustRegexMatch: error parsing regexp: unexpected ): `a)`"#),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(a" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing closing ): `(a`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "[a" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing closing ]: `[a`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "[]a" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing closing ]: `[]a`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "[z-a]" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid character class range: `z-a`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "[[:foo:]]" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid character class range: `[:foo:]`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\1" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\1`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\8" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\8`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\x" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\x`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\x{zz}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\x{z`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\x{110000}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\x{110000`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\xZ1" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\xZ1`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "a\\" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: trailing backslash at end of expression: ``"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(?P<n" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid named capture: `(?P<n`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(?P<>a)" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid named capture: `(?P<>`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(?P<a-b>x)" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid named capture: `(?P<a-b>`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(?x)a" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid or unsupported Perl syntax: `(?x`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(?i-)a" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(?P=n)" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid or unsupported Perl syntax: `(?P`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(?" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid or unsupported Perl syntax: `(?`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\C" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\C`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "[a-\\d]" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\d`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\q" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\q`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "[\\b]" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\b`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(?i)*" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing argument to repetition operator: `*`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "**" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing argument to repetition operator: `*`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "*?" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing argument to repetition operator: `*?`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\p{Old_Italic}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid character class range: `\p{Old_Italic}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\p{Emoji}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid character class range: `\p{Emoji}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\p{L&}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid character class range: `\p{L&}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\p{space}" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid character class range: `\p{space}`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\p" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid character class range: `\p`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\p{" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid character class range: `\p{`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\p\u00e9" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: invalid character class range: `\pé`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "[" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing closing ]: `[`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "(" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexMatch: error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ regexFind "[a" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling regexFind: regexp: Compile(`[a`): error parsing regexp: missing closing ]: `[a`"#,
        ),
    },
    HelmCase {
        template: r#"{{ regexFind "a`(" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling regexFind: regexp: Compile("a`("): error parsing regexp: missing closing ): `a`(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ regexFind "a\t(" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling regexFind: regexp: Compile(`a	(`): error parsing regexp: missing closing ): `a	(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ regexFindAll "(" "a" 1 }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling regexFindAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ regexSplit "(" "a" 1 }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling regexSplit: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ regexReplaceAllLiteral "(" "a" "b" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling regexReplaceAllLiteral: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexFind "(" "a" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexFind: error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexFindAll "(" "a" 1 }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexFindAll: error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexSplit "(" "a" 1 }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexSplit: error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexReplaceAllLiteral "(" "a" "b" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexReplaceAllLiteral: error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ mustRegexReplaceAll "(" "x" "y" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling mustRegexReplaceAll: error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"[{{ regexReplaceAll "(" "x" "y" }}]"#,
        values: r#""#,
        expected: Err(
            r#"error calling regexReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"#,
        ),
    },
    HelmCase {
        template: r#"{{ regexMatch "[" "a" }} {{ regexMatch "^[a-z]+$" "abc" }} {{ regexMatch "(a)\\1" "aa" }} {{ mustRegexMatch "[\\d-z]" "-" }} {{ mustRegexMatch "a{,3}" "a{,3}" }} {{ mustRegexMatch "x{01}" "x{01}" }}"#,
        values: r#""#,
        expected: Ok(r#"false true false true true true"#),
    },
    HelmCase {
        template: r#"{{ mustRegexMatch "\\p{letter}|\\p{Cased_Letter}|\\p{digit}|\\p{punct}|\\p{cntrl}|\\p{Combining_Mark}|\\p{Unassigned}|\\p{Cn}|\\p{Assigned}|\\p{ascii}|\\p{any}|\\p{l}|\\p{Nko}|\\p{LC}|\\p{lowercaseletter}|\\p{GREEK}|\\p{^Greek}|\\p{  Greek}|\\p{Gr_eek}|\\pl" "" }}"#,
        values: r#""#,
        expected: Ok(r#"false"#),
    },
    HelmCase {
        template: r#"{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$$1" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$01" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$9" }}|{{ regexReplaceAll "a(?P<n>x*)b" "-ab-axxb-" "<$n>" }}|{{ regexReplaceAll "a(?P<n>x*)b" "-ab-axxb-" "<${n}>" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${}" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$é" }}"#,
        values: r#""#,
        expected: Ok(
            r#"-W-xxW-|---|-$1-$1-|-$-$-|-${1-${1-|---|---|-<>-<xx>-|-<>-<xx>-|-${}-${}-|---"#,
        ),
    },
    HelmCase {
        template: r#"{{ regexReplaceAll "(?P<first>\\w+)\\s(?P<last>\\w+)" "John Smith" "${last}, ${first}" }}|{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}"#,
        values: r#""#,
        expected: Ok(r#"Smith, John|-${1}-${1}-"#),
    },
    HelmCase {
        template: r#"{{ regexReplaceAll "a*" "baaac" "X" }}|{{ regexReplaceAll "" "abc" "-" }}|{{ regexReplaceAll "x*" "" "-" }}|{{ regexReplaceAll "b*" "abc" "X" }}|{{ regexReplaceAllLiteral "a*" "baaac" "$0" }}|{{ regexReplaceAll "(a)|(b)" "ab" "[$1|$2]" }}|{{ regexReplaceAll "é*" "aéb" "-" }}"#,
        values: r#""#,
        expected: Ok(r#"XbXcX|-a-b-c-|-|XaXcX|$0b$0c$0|[a|][|b]|-a-b-"#),
    },
    HelmCase {
        template: r#"{{ regexReplaceAll "(?P<x>a)(?P<x>b)" "ab" "${x}" }}|{{ regexReplaceAll "(?P<x>a)|(?P<x>b)" "b" "${x}" }}|{{ regexReplaceAll "(a)" "a" "${1}${1}$1x" }}|{{ regexReplaceAll "(?<y>a)" "a" "$y" }}"#,
        values: r#""#,
        expected: Ok(r#"a|b|aa|a"#),
    },
    HelmCase {
        template: r#"{{ regexFindAll "[0-9]+" "a1b22c333" -1 | join "," }}|{{ regexFindAll "[0-9]+" "a1b22c333" 2 | join "," }}|{{ regexFindAll "[0-9]+" "a1b22c333" 0 | len }}|{{ regexFindAll "a*" "baaac" -1 | join "," }}|{{ regexFindAll "" "abc" -1 | join "," }}|{{ regexFindAll "\\b" " a b" -1 | len }}|{{ regexFindAll "a|" "aab" -1 | join ";" }}|{{ regexFindAll "." "héllo" 2 | join "," }}|{{ mustRegexFindAll "(?m)^\\w" "ab\ncd" -1 | join "," }}"#,
        values: r#""#,
        expected: Ok(r#"1,22,333|1,22|0|,aaa,|,,,|4|a;a;|h,é|a,c"#),
    },
    HelmCase {
        template: r#"{{ regexSplit "[,;]\\s*" "a, b;c ,d" -1 | join "|" }}/{{ regexSplit "," "a,b,c" 2 | join "|" }}/{{ regexSplit "" "abc" -1 | join "," }}/{{ regexSplit "x*" "axbc" -1 | join "," }}/{{ regexSplit "," "" -1 | len }}/{{ regexSplit "" "" -1 | len }}/{{ regexSplit "," "a,b,c" 0 | len }}/{{ regexSplit "," "a,b,c," -1 | join ";" }}/{{ regexSplit "," ",a" -1 | join ";" }}/{{ regexSplit "a" "aaa" 2 | join ";" }}/{{ mustRegexSplit "b*" "abba" -1 | join ";" }}"#,
        values: r#""#,
        expected: Ok(r#"a|b|c |d/a|b,c/a,b,c/a,b,c/1/0/0/a;b;c;/;a/;aa/a;a"#),
    },
    HelmCase {
        template: r#"{{ regexMatch "^\\d+$" "١٢٣" }}|{{ regexMatch "^\\w+$" "héllo" }}|{{ regexMatch "\\s" "\u000b" }}|{{ regexMatch "\\bé" " é" }}|{{ regexMatch "(?i)\\w" "ſ" }}|{{ regexMatch "(?i)\\W" "ſ" }}|{{ regexMatch "[[:space:]]" "\u000b" }}|{{ regexMatch "(?i)K" "\u212a" }}|{{ regexMatch "(?i)^ABC$" "abc" }}"#,
        values: r#""#,
        expected: Ok(r#"false|false|false|false|true|false|true|true|true"#),
    },
    HelmCase {
        template: r#"{{ regexFind "a(?i)B" "aB" }}|{{ regexFind "a(?i)b|c" "C" }}|{{ regexFind "(?i:a)b" "Ab" }}|{{ regexFind "((?i)a)b" "AB" }}|{{ regexFind "(?U)a+" "aaa" }}|{{ regexFind "(?U)a+?" "aaa" }}|{{ regexFind "a(?i)*" "aaa" }}|{{ regexFind "(?s).+" "a\nb" }}|{{ regexFind "(?m)^b$" "a\nb\nc" }}|{{ regexFind "^*a" "a" }}|{{ mustRegexFind "<.+?>" "<a><b>" }}|{{ regexFind "^v?([0-9]+)" "v1.2.3" }}"#,
        values: r#""#,
        expected: Ok(r#"aB|C|Ab||a|aaa|aaa|a
b|b|a|<a>|v1"#),
    },
    HelmCase {
        template: r#"{{ regexFind "\\Qa.b\\E+" "a.bbb" }}|{{ regexFind "\\Qa.b" "xa.b" }}|{{ regexFind "[\\Q]\\E]" "]" }}|{{ regexFind "\\x41\\x{42}\\101\\0" "AB" }}|{{ regexFind "[^a]" "\n" }}|{{ regexFind "\\pL+" "123abc" }}|{{ regexFind "\\p{^L}+" "abc123" }}|{{ regexFind "\\PL+" "abc123" }}|{{ regexFind "[\\p{Nd}a]+" "xa12" }}|{{ regexFind "(?i)\\p{Lu}+" "abc" }}|{{ regexFind "\\p{Greek}+" "abc αβγ def" }}"#,
        values: r#""#,
        expected: Err(
            r#"error calling regexFind: regexp: Compile(`[\Q]\E]`): error parsing regexp: invalid escape sequence: `\Q`"#,
        ),
    },
    HelmCase {
        template: r#"{{ regexFind "a{,2}" "a{,2}" }}|{{ regexFind "x{2}{" "xx{" }}|{{ regexFind "[a-]+" "-a-" }}|{{ regexFind "[]a]+" "]a" }}|{{ regexFind "[^]a]+" "bc]" }}|{{ regexFind "(?:)" "x" }}|{{ regexFind "()" "x" }}|{{ regexFind "a{0}" "a" }}|{{ regexFind "(a{0}){1000}" "" }}|{{ regexFind "(?i)ǅ" "ǆ" }}|{{ regexFind "a{2,}" "aaaa" }}|{{ regexFind "a{1,2}?" "aaaa" }}"#,
        values: r#""#,
        expected: Ok(r#"a{,2}|xx{|-a-|]a|bc|||||ǆ|aaaa|a"#),
    },
    HelmCase {
        template: r#"{{ regexMatch "\\z" "" }}|{{ regexMatch "a$" "a\n" }}|{{ regexMatch "(?m)a$" "a\n" }}|{{ regexMatch "\\Aa" "ba" }}|{{ regexFindAll "(?m)^" "a\nb" -1 | len }}|{{ regexFindAll "$" "a\n" -1 | len }}"#,
        values: r#""#,
        expected: Ok(r#"true|false|true|false|2|1"#),
    },
    HelmCase {
        template: r#"{{ regexQuoteMeta "1.5+[a]*?" }}|{{ regexQuoteMeta "a-b#c&d~e/f" }}|{{ regexQuoteMeta "" }}|{{ regexQuoteMeta "é.ü\\|(){}^$" }}"#,
        values: r#""#,
        expected: Ok(r#"1\.5\+\[a\]\*\?|a-b#c&d~e/f||é\.ü\\\|\(\)\{\}\^\$"#),
    },
];
