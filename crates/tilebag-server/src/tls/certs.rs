//! The certificate being served, swappable while the server runs.
//!
//! Every new TLS handshake asks [`Certificates`] for the current certificate, so a renewed
//! or reloaded one is served from the next connection on — no restart. A certificate that
//! fails to load, or whose key does not match, never replaces a working one.

use std::sync::{Arc, RwLock};

use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// A certificate with its key, ready to serve, and when it expires.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// For rustls.
    pub key: Arc<CertifiedKey>,
    /// Its `notAfter`, Unix seconds.
    pub not_after: i64,
    /// Its serial number, hex (to tell certificates apart).
    pub serial: String,
    /// The DNS names it is for (`*.example.org` for a wildcard).
    pub names: Vec<String>,
}

/// The crypto provider used everywhere (one, so rustls never has to guess).
#[must_use]
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads a PEM certificate chain and private key; checks that they belong together.
pub fn load_pem(cert_pem: &[u8], key_pem: &[u8]) -> Result<Loaded, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the certificate file is not PEM: {e}"))?;
    let first = chain
        .first()
        .ok_or("the certificate file holds no certificate")?;
    let key = PrivateKeyDer::from_pem_slice(key_pem)
        .map_err(|e| format!("the key file holds no private key: {e}"))?;
    let signing = provider()
        .key_provider
        .load_private_key(key)
        .map_err(|e| format!("unusable private key: {e}"))?;
    let (_, parsed) = x509_parser::parse_x509_certificate(first)
        .map_err(|e| format!("unreadable certificate: {e}"))?;
    let not_after = parsed.validity().not_after.timestamp();
    let serial = parsed.raw_serial_as_string();
    let names = dns_names(&parsed);
    let certified = CertifiedKey::new(chain, signing);
    certified
        .keys_match()
        .map_err(|e| format!("the key does not belong to the certificate: {e}"))?;
    Ok(Loaded {
        key: Arc::new(certified),
        not_after,
        serial,
        names,
    })
}

/// The DNS names of a certificate: its subject alternative names, or else its common name.
fn dns_names(certificate: &x509_parser::certificate::X509Certificate<'_>) -> Vec<String> {
    use x509_parser::extensions::GeneralName;
    let alternative: Vec<String> = certificate
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .filter_map(|name| match name {
                    GeneralName::DNSName(dns) => Some(dns.to_ascii_lowercase()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    if !alternative.is_empty() {
        return alternative;
    }
    certificate
        .subject()
        .iter_common_name()
        .filter_map(|cn| cn.as_str().ok())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The certificate currently served.
#[derive(Debug, Default)]
pub struct Certificates {
    current: RwLock<Option<Loaded>>,
}

impl Certificates {
    /// Serves this certificate from the next handshake on.
    pub fn set(&self, loaded: Loaded) {
        tracing::info!(serial = %loaded.serial, not_after = loaded.not_after, "serving a new certificate");
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(loaded);
    }

    /// The certificate served now.
    pub fn current(&self) -> Option<Loaded> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl ResolvesServerCert for Certificates {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.current().map(|loaded| loaded.key)
    }
}

/// A TLS server configuration that asks `certificates` at every handshake.
pub fn server_config(certificates: Arc<Certificates>) -> Result<rustls::ServerConfig, String> {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_cert_resolver(certificates);
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
