//! HTTP(S) access to chart repositories (Helm's HTTP getter): basic auth (sent only to the
//! repository's own scheme and host unless `pass_credentials_all`), a custom CA, client
//! certificates, skipping TLS verification, and Go-like error texts. Passwords never appear in
//! errors or logs.

use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

use super::config::RepoEntry;

/// How to reach one repository.
#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    /// The repository URL: credentials go only to its scheme and host.
    pub repo_url: String,
    /// Basic auth user.
    pub username: String,
    /// Basic auth password.
    pub password: String,
    /// Send credentials to every host.
    pub pass_credentials_all: bool,
    /// PEM file of the CA certificates to trust instead of the built-in roots.
    pub ca_file: String,
    /// PEM client certificate.
    pub cert_file: String,
    /// PEM client key.
    pub key_file: String,
    /// Skip TLS certificate verification.
    pub insecure_skip_tls_verify: bool,
    /// Whole-request timeout (Helm's `--timeout`, default 120 s).
    pub timeout: Option<Duration>,
}

impl HttpOptions {
    /// The options for a configured repository.
    pub fn for_repo(entry: &RepoEntry) -> HttpOptions {
        HttpOptions {
            repo_url: entry.url.clone(),
            username: entry.username.clone(),
            password: entry.password.clone(),
            pass_credentials_all: entry.pass_credentials_all,
            ca_file: entry.ca_file.clone(),
            cert_file: entry.cert_file.clone(),
            key_file: entry.key_file.clone(),
            insecure_skip_tls_verify: entry.insecure_skip_tls_verify,
            timeout: None,
        }
    }
}

fn read_pem_certs(path: &str) -> Result<Vec<Certificate<'static>>, String> {
    let data = std::fs::read(path).map_err(|e| format!("can't read {path}: {e}"))?;
    let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&data)
        .filter_map(|item| match item {
            Ok(PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    if certs.is_empty() {
        return Err(format!("failed to append certificates from file: {path}"));
    }
    Ok(certs)
}

fn agent(opts: &HttpOptions) -> Result<ureq::Agent, String> {
    let mut tls = TlsConfig::builder();
    if opts.insecure_skip_tls_verify {
        tls = tls.disable_verification(true);
    }
    if !opts.ca_file.is_empty() {
        tls = tls.root_certs(RootCerts::Specific(Arc::new(read_pem_certs(
            &opts.ca_file,
        )?)));
    }
    if !opts.cert_file.is_empty() && !opts.key_file.is_empty() {
        let certs = read_pem_certs(&opts.cert_file)?;
        let key_pem = std::fs::read(&opts.key_file)
            .map_err(|e| format!("can't read {}: {e}", opts.key_file))?;
        let key = PrivateKey::from_pem(&key_pem)
            .map_err(|e| format!("can't load key pair from {}: {e}", opts.key_file))?
            .to_owned();
        tls = tls.client_cert(Some(ClientCert::new_with_certs(&certs, key)));
    }
    let config = ureq::Agent::config_builder()
        .tls_config(tls.build())
        .http_status_as_error(false)
        .user_agent("Helm/4.1.4")
        .timeout_global(Some(opts.timeout.unwrap_or(Duration::from_secs(120))))
        .build();
    Ok(config.into())
}

/// Scheme and host:port of a URL, for the credentials check.
fn origin(url: &str) -> Option<(String, String)> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let authority = uri.authority()?.as_str().to_ascii_lowercase();
    Some((scheme, authority))
}

fn basic_auth(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}");
    let bytes = input.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}

/// Go's text for a transport error: `dial tcp HOST:PORT: connect: connection refused` and
/// the like.
fn transport_error(url: &str, err: &ureq::Error) -> String {
    let host_port = url
        .parse::<ureq::http::Uri>()
        .ok()
        .and_then(|u| {
            let host = u.host()?.to_string();
            let port = u.port_u16().unwrap_or(match u.scheme_str() {
                Some("https") => 443,
                _ => 80,
            });
            Some(format!("{host}:{port}"))
        })
        .unwrap_or_default();
    let detail = match err {
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("dial tcp {host_port}: connect: connection refused")
        }
        ureq::Error::ConnectionFailed => {
            format!("dial tcp {host_port}: connect: connection refused")
        }
        ureq::Error::Timeout(_) => {
            "context deadline exceeded (Client.Timeout exceeded while awaiting headers)".into()
        }
        other => other.to_string(),
    };
    format!("Get \"{url}\": {detail}")
}

/// GETs a URL and returns the whole body; any status but 200 is an error
/// (`failed to fetch URL : 404 Not Found`), and so is a body cut short.
pub fn get(url: &str, opts: &HttpOptions, accept: Option<&str>) -> Result<Vec<u8>, String> {
    if opts.cert_file.is_empty() {
        return get_inner(url, opts, accept);
    }
    // ureq panics when rustls refuses a client certificate (an X.509 v1 certificate, a key
    // that does not match): turn that into an error, without the panic message.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| get_inner(url, opts, accept));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(format!(
            "can't load key pair from {} and {}: the TLS library refused the client \
             certificate (it must be X.509 v3 and match the key): {why}",
            opts.cert_file, opts.key_file
        ))
    })
}

fn get_inner(url: &str, opts: &HttpOptions, accept: Option<&str>) -> Result<Vec<u8>, String> {
    let agent = agent(opts)?;
    let mut req = agent.get(url);
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    let same_origin = origin(url).is_some() && origin(url) == origin(&opts.repo_url);
    if (opts.pass_credentials_all || same_origin)
        && !opts.username.is_empty()
        && !opts.password.is_empty()
    {
        req = req.header("Authorization", basic_auth(&opts.username, &opts.password));
    }
    let resp = req.call().map_err(|e| transport_error(url, &e))?;
    let status = resp.status();
    if status != ureq::http::StatusCode::OK {
        return Err(format!(
            "failed to fetch {url} : {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string());
    }
    resp.into_body()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .map_err(|e| format!("failed to read {url}: {}", read_error(&e)))
}

fn read_error(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "unexpected EOF".to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_base64() {
        assert_eq!(basic_auth("bob", "secret"), "Basic Ym9iOnNlY3JldA==");
        assert_eq!(basic_auth("a", "b"), "Basic YTpi");
    }

    #[test]
    fn origins_compare_scheme_and_host() {
        assert_eq!(
            origin("http://127.0.0.1:8080/x.tgz"),
            origin("http://127.0.0.1:8080/")
        );
        assert_ne!(
            origin("http://127.0.0.1:8081/x.tgz"),
            origin("http://127.0.0.1:8080/")
        );
    }
}
