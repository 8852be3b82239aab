//! GraphiQL, served by swcat itself: the page a browser gets at `GET /graphql`, and the files
//! it loads at `/graphiql/<package>@<version>/<file>`.
//!
//! The files are graphiql's standalone build and React's production builds, taken from the
//! npm registry at pinned versions by `assets/graphiql/refresh.sh`, listed with their
//! origin, size and sha256 in `assets/graphiql/MANIFEST`, and embedded in the binary: the
//! page needs no network beyond this server. A file's URL names its package's version, so
//! it never changes and is cached for a year; the page itself is revalidated on each load.

use std::sync::LazyLock;

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::error_response;
use crate::graphql::ErrorCode;

/// One embedded file, served at `/graphiql/<package>@<version>/<name>`.
struct Asset {
    /// The npm package it comes from, and its version (as in `MANIFEST`).
    package: &'static str,
    version: &'static str,
    /// Its name in `assets/graphiql/` and in its URL.
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// An embedded file's URL never names other contents: caches may keep it for good.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

macro_rules! asset {
    ($package:literal, $version:literal, $name:literal, $content_type:expr) => {
        Asset {
            package: $package,
            version: $version,
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!("../../assets/graphiql/", $name)),
        }
    };
}

/// The files the page loads. `assets/graphiql/refresh.sh` pins the same versions; the tests
/// below fail while the two disagree.
static ASSETS: [Asset; 4] = [
    asset!("graphiql", "4.1.2", "graphiql.min.css", CSS),
    asset!("react", "18.3.1", "react.production.min.js", JAVASCRIPT),
    asset!(
        "react-dom",
        "18.3.1",
        "react-dom.production.min.js",
        JAVASCRIPT
    ),
    asset!("graphiql", "4.1.2", "graphiql.min.js", JAVASCRIPT),
];

impl Asset {
    fn url(&self) -> String {
        format!("/graphiql/{}@{}/{}", self.package, self.version, self.name)
    }

    /// Whether `path` is this file's URL path.
    fn is_at(&self, path: &str) -> bool {
        path.strip_prefix("/graphiql/")
            .and_then(|rest| rest.strip_prefix(self.package))
            .and_then(|rest| rest.strip_prefix('@'))
            .and_then(|rest| rest.strip_prefix(self.version))
            .and_then(|rest| rest.strip_prefix('/'))
            == Some(self.name)
    }
}

/// The page, `assets/graphiql/page.html` with each `{{file}}` replaced by that file's URL.
static PAGE: LazyLock<String> = LazyLock::new(|| {
    ASSETS.iter().fold(
        include_str!("../../assets/graphiql/page.html").to_owned(),
        |page, asset| page.replace(&format!("{{{{{}}}}}", asset.name), &asset.url()),
    )
});

/// The GraphiQL page. Not cached without asking: a new version of swcat may load other files.
pub fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        PAGE.as_str(),
    )
        .into_response()
}

/// `GET /graphiql/{release}/{file}`: one of the page's files, or 404.
pub async fn asset(uri: Uri) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.is_at(uri.path())) else {
        return error_response(
            StatusCode::NOT_FOUND,
            ErrorCode::BadRequest.server_error("no such GraphiQL file; GraphiQL is at /graphql"),
        );
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, IMMUTABLE),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        asset.bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `MANIFEST`'s rows: file, package@version, path in the package, bytes, sha256.
    fn manifest() -> Vec<Vec<&'static str>> {
        include_str!("../../assets/graphiql/MANIFEST")
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .map(|line| line.split_whitespace().collect::<Vec<_>>())
            .collect()
    }

    /// What is embedded is what MANIFEST lists: version, size and sha256. (The licence files
    /// beside them, not embedded, are checked by `assets/graphiql/refresh.sh --check`.)
    #[test]
    fn each_embedded_file_is_the_one_manifest_names() {
        use sha2::{Digest, Sha256};

        let rows = manifest();
        for asset in &ASSETS {
            let row = rows
                .iter()
                .find(|row| row[0] == asset.name)
                .unwrap_or_else(|| panic!("{} is not in MANIFEST", asset.name));
            assert_eq!(row.len(), 5, "MANIFEST row {row:?}");
            assert_eq!(
                row[1],
                format!("{}@{}", asset.package, asset.version),
                "{}: MANIFEST and ASSETS name other versions",
                asset.name
            );
            assert_eq!(
                row[3].parse::<usize>().unwrap(),
                asset.bytes.len(),
                "{}: not the size MANIFEST gives",
                asset.name
            );
            assert_eq!(
                row[4],
                format!("{:x}", Sha256::digest(asset.bytes)),
                "{}: not the sha256 MANIFEST gives",
                asset.name
            );
        }
        for row in &rows {
            let name = row[0];
            if name.ends_with(".js") || name.ends_with(".css") {
                assert!(
                    ASSETS.iter().any(|asset| asset.name == name),
                    "{name} is in MANIFEST but not served"
                );
            }
        }
    }

    #[test]
    fn the_page_loads_only_the_embedded_files() {
        let page = PAGE.as_str();
        assert!(!page.contains("{{"), "a placeholder is left in the page");
        for asset in &ASSETS {
            assert!(
                page.contains(&format!("\"{}\"", asset.url())),
                "{}",
                asset.name
            );
        }
        for attribute in ["src=\"", "href=\""] {
            for (at, _) in page.match_indices(attribute) {
                let value = &page[at + attribute.len()..];
                let value = &value[..value.find('"').unwrap()];
                assert!(
                    value == "data:," || ASSETS.iter().any(|asset| asset.url() == value),
                    "the page loads {value}"
                );
            }
        }
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(page.contains("GraphiQL.createFetcher("));
        assert!(page.contains("url: \"/graphql\""));
        assert!(page.contains("\"/graphql/ws\""));
    }

    #[tokio::test]
    async fn files_are_served_for_good_and_others_are_not_found() {
        for asset in &ASSETS {
            let response = super::asset(asset.url().parse().unwrap()).await;
            assert_eq!(response.status(), StatusCode::OK, "{}", asset.url());
            let headers = response.headers();
            assert_eq!(headers[header::CONTENT_TYPE], asset.content_type);
            assert_eq!(headers[header::CACHE_CONTROL], IMMUTABLE);
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            assert_eq!(body.len(), asset.bytes.len());
        }
        for path in [
            "/graphiql/graphiql@4.1.1/graphiql.min.js",
            "/graphiql/graphiql@4.1.2/graphiql.min.js.map",
            "/graphiql/react@18.3.1/graphiql.min.js",
            "/graphiql/graphiql@4.1.2/../graphiql.min.js",
        ] {
            let response = super::asset(path.parse().unwrap()).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(
                response.headers()[header::CONTENT_TYPE],
                "application/json",
                "{path}"
            );
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
        }
        let page = page();
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(
            page.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
    }
}
