//! Sprig's URL and network functions against the real Helm.

use crate::funcs::strings::conformance::{HelmCase, check_helm_cases};

#[test]
fn url_functions_match_helm() {
    check_helm_cases("network", HELM_CASES);
}

/// Cases rendered by Helm 4.1.4; regenerate the expectations with the real Helm, never by
/// hand.
const HELM_CASES: &[HelmCase] = &[
    HelmCase {
        template: r#"{{ urlJoin .Values.u1 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"https://u:p%40@example.com/a%20b/%C3%A4?x=1#f%20g"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u2 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"//h"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u3 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"./a:b"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u4 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http://p"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u5 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"s:x:y?q"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u6 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"//%C3%A4%20b/%252F%20%3F%23"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u7 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"#a!()*%23%27%20b"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u8 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"//u:p%3Aq@"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u9 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlJoin: unable to parse userinfo in dict: parse "proto://a b@host": net/url: invalid userinfo"#,
        ),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u10 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlJoin: unable to parse userinfo in dict: parse "proto://u%zz@host": invalid URL escape "%zz""#,
        ),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u11 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlJoin: unable to parse scheme key, must be of type string, but float64 found"#,
        ),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u12 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlJoin: unable to parse path key, must be of type string, but slice found"#,
        ),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u13 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlJoin: runtime error: invalid memory address or nil pointer dereference"#,
        ),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u14 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"HTTP:"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u15 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"//u@x"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u16 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"*"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.u17 }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http:"#),
    },
    HelmCase {
        template: r#"{{ urlJoin .Values.missing }}|"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(r#"t.yaml:1:18
  executing "t.yaml" at <.Values.missing>:
    wrong type for value; expected map[string]interface {}; got interface {}"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "https://user:pa%20ss@example.com:8080/p/a%2Fb?q=1&r=a+b#frag%21" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"https|example.com:8080|example.com|/p/a/b|q=1&r=a+b||frag!|user:pa%20ss"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "mailto:joe@x.com" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"mailto|||||joe@x.com||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "/rel/path?x" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"|||/rel/path|x|||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "//host/p" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"|host|host|/p||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[abc" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[abc": missing ']' in host"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1]x/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1]x/": invalid port "x" after host"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[zz]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[zz]/": invalid host: ParseAddr("zz"): unable to parse IP"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://a b/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://a b/": invalid character " " in host name"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://x:port/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://x:port/": invalid port ":port" after host"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://%41/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://%41/": invalid URL escape "%41""#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://x/%zz" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://x/%zz": invalid URL escape "%zz""#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1%25en0]:80/p" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|[::1%en0]:80|::1%en0|/p||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1%25%41]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|[::1%A]|::1%A|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1%25en%200]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|[::1%en 0]|::1%en 0|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse ":foo" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse ":foo": missing protocol scheme"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "a:b/c" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"a|||||b/c||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "1http://x" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "1http://x": first path segment in URL cannot contain colon"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http:" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|||||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "*" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"|||*||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"|||||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "a?b?" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"|||a|b?|||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "x?" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"|||x||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://u:@h" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|h|h|||||u:"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://@h" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|h|h|||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://u%zz@h" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://u%zz@h": invalid URL escape "%zz""#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://u p@h" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://u p@h": net/url: invalid userinfo"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://h/a b" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|h|h|/a b||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://h#a%zz" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://h#a%zz": invalid URL escape "%zz""#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "HTTP://Ex.com/A" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|Ex.com|Ex.com|/A||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://h/p?q#f#g" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|h|h|/p|q||f#g|"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://h/%2F?%zz" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|h|h|//|%zz|||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://a:b@c:d@e/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|e|e|/||||a:b%40c%3Ad"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "file:///tmp/x" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"file|||/tmp/x||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://h:80:90/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|h:80:90|h:80|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://\u00e4.com/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|ä.com|ä.com|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "//h:8080" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"|h:8080|h|||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[fe80::1]:8080/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|[fe80::1]:8080|fe80::1|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://h:/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|h:|h|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://a[::1]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://a[::1]/": invalid IP-literal"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[1.2.3.4]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[1.2.3.4]/": invalid IP-literal"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::ffff:1.2.3.4]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|[::ffff:1.2.3.4]|::ffff:1.2.3.4|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1::2]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1::2]/": invalid host: ParseAddr("::1::2"): multiple :: in address (at ":2")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[12345::]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[12345::]/": invalid host: ParseAddr("12345::"): each group must have 4 or less digits (at "12345::")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1%25]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1%25]/": invalid host: ParseAddr("::1%"): zone must be a non-empty string"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[1:2:3:4:5:6:7:8:9]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[1:2:3:4:5:6:7:8:9]/": invalid host: ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[:1]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[:1]/": invalid host: ParseAddr(":1"): each colon-separated field must have at least one digit (at ":1")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[1:]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[1:]/": invalid host: ParseAddr("1:"): colon must be followed by more characters (at ":")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[%25en0]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[%25en0]/": invalid host: ParseAddr("%en0"): missing IPv6 address"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::g]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::g]/": invalid host: ParseAddr("::g"): each colon-separated field must have at least one digit (at "g")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1.2.3]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1.2.3]/": invalid host: ParseAddr("::1.2.3"): IPv4 address too short"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1.2.3.256]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1.2.3.256]/": invalid host: ParseAddr("::1.2.3.256"): IPv4 field has value >255"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[]/": invalid host: ParseAddr(""): unable to parse IP"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1]:/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|[::1]:|::1|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[1::2:3:4:5:6:7:8]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[1::2:3:4:5:6:7:8]/": invalid host: ParseAddr("1::2:3:4:5:6:7:8"): the :: must expand to at least one field of zeros"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[1:2:3:4:5:6:7::]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|[1:2:3:4:5:6:7::]|1:2:3:4:5:6:7::|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::01.2.3.4]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::01.2.3.4]/": invalid host: ParseAddr("::01.2.3.4"): IPv4 field has octet with leading zero"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[1.2.3.4::]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[1.2.3.4::]/": invalid host: ParseAddr("1.2.3.4::"): unexpected character (at "::")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1.2.3.4.5]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1.2.3.4.5]/": invalid host: ParseAddr("::1.2.3.4.5"): IPv4 address too long"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1.2..3]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1.2..3]/": invalid host: ParseAddr("::1.2..3"): IPv4 field must have at least one digit (at ".3")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1.2.3.x]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1.2.3.x]/": invalid host: ParseAddr("::1.2.3.x"): unexpected character (at "x")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[1:2:3:4:5:6:1.2.3.4]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|[1:2:3:4:5:6:1.2.3.4]|1:2:3:4:5:6:1.2.3.4|/||||"#),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[1:2:3:4:5:6:7:1.2.3.4]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[1:2:3:4:5:6:7:1.2.3.4]/": invalid host: ParseAddr("1:2:3:4:5:6:7:1.2.3.4"): embedded IPv4 address must replace the final 2 fields of the address (at "1.2.3.4")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[1:2::3:4:5:6:7:8]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[1:2::3:4:5:6:7:8]/": invalid host: ParseAddr("1:2::3:4:5:6:7:8"): the :: must expand to at least one field of zeros"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[fffff::]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[fffff::]/": invalid host: ParseAddr("fffff::"): each group must have 4 or less digits (at "fffff::")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1x]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1x]/": invalid host: ParseAddr("::1x"): unexpected character, want colon (at "x")"#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1%25a%2Fb]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Err(
            r#"error calling urlParse: unable to parse url: parse "http://[::1%25a%2Fb]/": invalid URL escape "%2F""#,
        ),
    },
    HelmCase {
        template: r#"{{ $u := urlParse "http://[::1%25a%20b]/" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.opaque }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"http|[::1%a b]|::1%a b|/||||"#),
    },
    HelmCase {
        template: r#"{{ getHostByName "localhost" }}|"#,
        values: r#"u1: {scheme: https, host: example.com, path: "/a b/ä", query: x=1, fragment: f g, userinfo: "u:p@"}
u2: {host: h}
u3: {path: "a:b"}
u4: {scheme: http, path: p}
u5: {opaque: "x:y", scheme: s, query: q}
u6: {host: "ä b", path: "/%2F ?#"}
u7: {fragment: "a!()*#' b"}
u8: {userinfo: "u:p:q"}
u9: {userinfo: "a b"}
u10: {userinfo: "u%zz"}
u11: {scheme: 1}
u12: {path: [1]}
u13: {query: null}
u14: {scheme: HTTP}
u15: {userinfo: u, path: x}
u16: {path: "*"}
u17: {scheme: http, host: "", path: ""}
"#,
        expected: Ok(r#"|"#),
    },
];
