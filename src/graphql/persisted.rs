//! Persisted documents: clients send a document's SHA-256 instead of the document.
//!
//! Two modes, for HTTP (`POST` and `GET`) and the WebSocket alike:
//!
//! - **Automatic persisted queries** (Apollo's protocol, the default): a request with
//!   `extensions.persistedQuery = {version: 1, sha256Hash}` and no `query` runs the document
//!   registered under that hash, or fails with `PERSISTED_QUERY_NOT_FOUND` (message
//!   `PersistedQueryNotFound`, which Apollo's link looks for); sent again with its `query`,
//!   the document is checked against the hash and registered in the database, for every
//!   instance. `documentId` (the GraphQL-over-HTTP spec's persisted documents,
//!   `sha256:<hex>`) looks up the same registry.
//! - **Trusted documents** (`--trusted-documents FILE`, the `persisted-documents.json` that
//!   graphql-codegen's client preset writes): the server runs only the documents of that
//!   file, by `documentId`, by APQ hash, or sent in full; any other document is refused with
//!   `PERSISTED_QUERY_NOT_IN_LIST`, and nothing is registered.

use std::collections::HashMap;
use std::path::Path;

use async_graphql::{Request, ServerError};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use super::bounded::BoundedMap;
use super::codes::ErrorCode;
use crate::catalog::persisted;
use crate::report::ErrorChain;

/// Most documents remembered in memory; when full, the memory starts over.
const CAPACITY: usize = 1024;

/// The document store of one instance.
pub struct PersistedDocuments {
    db: DatabaseConnection,
    /// With trusted documents, the only documents the server runs, by SHA-256.
    trusted: Option<HashMap<String, String>>,
    /// Documents already looked up in (or registered with) the database, by SHA-256.
    known: BoundedMap<String>,
}

/// How a request named its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// In full, in `query`.
    InFull,
    /// By its hash only: the same request always runs the same document, so an answer to
    /// a `GET` may be cached.
    ByHash,
}

/// Why `--trusted-documents` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TrustedDocumentsError {
    #[error("cannot read the trusted documents {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the trusted documents {path} are not a JSON object of SHA-256 hashes to documents: {source}"
    )]
    Json {
        path: String,
        source: serde_json::Error,
    },
    #[error(
        "the trusted documents {path} list {hash} for a document whose SHA-256 is {actual} \
         (graphql-codegen's client preset needs `hashAlgorithm: \"sha256\"`)"
    )]
    Mismatch {
        path: String,
        hash: String,
        actual: String,
    },
}

/// The lowercase hex SHA-256 of `document`.
pub fn sha256(document: &str) -> String {
    format!("{:x}", Sha256::digest(document.as_bytes()))
}

impl PersistedDocuments {
    /// APQ, registering documents in `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            trusted: None,
            known: BoundedMap::new(CAPACITY),
        }
    }

    /// Runs only the documents of the JSON file at `path` (hash to document), after
    /// checking that each is listed under its own SHA-256.
    pub fn trusted_only(mut self, path: &Path) -> Result<Self, TrustedDocumentsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| TrustedDocumentsError::Read {
            path: shown.clone(),
            source,
        })?;
        let documents: HashMap<String, String> =
            serde_json::from_str(&text).map_err(|source| TrustedDocumentsError::Json {
                path: shown.clone(),
                source,
            })?;
        let mut trusted = HashMap::with_capacity(documents.len());
        for (hash, document) in documents {
            let actual = sha256(&document);
            let hash = hash
                .strip_prefix("sha256:")
                .unwrap_or(&hash)
                .to_ascii_lowercase();
            if hash != actual {
                return Err(TrustedDocumentsError::Mismatch {
                    path: shown,
                    hash,
                    actual,
                });
            }
            trusted.insert(hash, document);
        }
        self.trusted = Some(trusted);
        Ok(self)
    }

    /// Gives `request` its document when it names one by hash (`extensions.persistedQuery`,
    /// or `document_id`), registers a document sent in full with its hash, and with trusted
    /// documents refuses any other. A request without either is left as it is.
    pub async fn resolve(
        &self,
        request: &mut Request,
        document_id: Option<&str>,
    ) -> Result<Named, ServerError> {
        let hash = named_hash(request, document_id)?;
        let in_full = !request.query.trim().is_empty();
        if let Some(trusted) = &self.trusted {
            if !in_full {
                let Some(hash) = hash else {
                    return Ok(Named::InFull);
                };
                let document = trusted.get(&hash).ok_or_else(not_found)?;
                request.query = document.clone();
                return Ok(Named::ByHash);
            }
            let actual = sha256(&request.query);
            if hash.is_some_and(|hash| hash != actual) {
                return Err(mismatch());
            }
            if !trusted.contains_key(&actual) {
                return Err(ErrorCode::PersistedQueryNotInList.server_error(
                    "this server runs only its trusted documents; send one of them by its \
                     documentId",
                ));
            }
            return Ok(Named::InFull);
        }
        let Some(hash) = hash else {
            return Ok(Named::InFull);
        };
        if in_full {
            if sha256(&request.query) != hash {
                return Err(mismatch());
            }
            self.register(&hash, &request.query).await;
            return Ok(Named::InFull);
        }
        request.query = self.lookup(&hash).await?.ok_or_else(not_found)?;
        Ok(Named::ByHash)
    }

    async fn lookup(&self, hash: &str) -> Result<Option<String>, ServerError> {
        if let Some(document) = self.read_known(hash) {
            return Ok(Some(document));
        }
        let found = persisted::find(&self.db, hash).await.map_err(|err| {
            tracing::error!(error = %ErrorChain(&err), "looking up a persisted query failed");
            ErrorCode::InternalServerError.server_error("internal error")
        })?;
        if let Some(document) = &found {
            self.remember(hash, document);
        }
        Ok(found)
    }

    /// Registers `document` for every instance. A failure is logged, not fatal: the
    /// request still runs the document it carries, and the client registers it again later.
    async fn register(&self, hash: &str, document: &str) {
        if self.read_known(hash).is_some() {
            return;
        }
        match persisted::store(&self.db, hash, document).await {
            Ok(()) => self.remember(hash, document),
            Err(err) => {
                tracing::warn!(error = %ErrorChain(&err), "registering a persisted query failed");
            }
        }
    }

    fn read_known(&self, hash: &str) -> Option<String> {
        self.known.get(hash)
    }

    fn remember(&self, hash: &str, document: &str) {
        self.known.insert(hash, document.to_owned());
    }
}

/// The hash the request names its document by, if any: `documentId` or
/// `extensions.persistedQuery.sha256Hash` (which must agree when both are given).
fn named_hash(request: &Request, document_id: Option<&str>) -> Result<Option<String>, ServerError> {
    let from_id = document_id
        .map(|id| {
            let hex = id.strip_prefix("sha256:").unwrap_or(id);
            parse_hex(hex).ok_or_else(|| {
                ErrorCode::BadRequest
                    .server_error("`documentId` must be `sha256:` and 64 hexadecimal digits")
            })
        })
        .transpose()?;
    let from_apq = match request.extensions.get("persistedQuery") {
        None => None,
        Some(value) => {
            let bad = || {
                ErrorCode::BadRequest.server_error(
                    "`extensions.persistedQuery` must be {\"version\": 1, \"sha256Hash\": \
                     \"<64 hexadecimal digits>\"}",
                )
            };
            let value = value.clone().into_json().map_err(|_| bad())?;
            let version = value.get("version").and_then(serde_json::Value::as_i64);
            let hash = value
                .get("sha256Hash")
                .and_then(serde_json::Value::as_str)
                .and_then(parse_hex);
            match (version, hash) {
                (Some(1), Some(hash)) => Some(hash),
                _ => return Err(bad()),
            }
        }
    };
    match (from_id, from_apq) {
        (Some(id), Some(apq)) if id != apq => Err(ErrorCode::BadRequest
            .server_error("`documentId` and `extensions.persistedQuery` name different documents")),
        (id, apq) => Ok(id.or(apq)),
    }
}

/// 64 hexadecimal digits, lowercased.
fn parse_hex(text: &str) -> Option<String> {
    (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| text.to_ascii_lowercase())
}

fn not_found() -> ServerError {
    ErrorCode::PersistedQueryNotFound.server_error("PersistedQueryNotFound")
}

fn mismatch() -> ServerError {
    ErrorCode::BadRequest.server_error("the query's SHA-256 is not the hash it was sent with")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_lowercase_hex_sha256() {
        assert_eq!(
            sha256("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
    }

    #[test]
    fn a_hash_is_64_hexadecimal_digits() {
        let upper = "A".repeat(64);
        assert_eq!(parse_hex(&upper), Some("a".repeat(64)));
        assert_eq!(parse_hex(&"a".repeat(63)), None);
        assert_eq!(parse_hex(&"g".repeat(64)), None);
    }
}
