//! Parsed documents, kept by their text. Frontends send the same few documents over and
//! over, and parsing one is a measurable share of answering a small query (see `bench/`).
//!
//! Only the parse is kept here. Validation depends on the variables too, so its verdict is
//! kept apart, by document and variables ([`super::gate`]). A document over the document limit is never parsed here (the limit refuses
//! it), and one that does not parse is left for the request to report with its code.

use async_graphql::Request;
use async_graphql::parser::types::ExecutableDocument;

use super::bounded::BoundedMap;

/// Most documents kept; when full, the cache starts over, so its size stays bounded even
/// when every request sends a new document.
const CAPACITY: usize = 512;

/// Documents by their text.
pub struct DocumentCache {
    documents: BoundedMap<ExecutableDocument>,
    max_document_bytes: usize,
}

impl DocumentCache {
    pub fn new(max_document_bytes: usize) -> Self {
        Self {
            documents: BoundedMap::new(CAPACITY),
            max_document_bytes,
        }
    }

    /// The parsed document of `query`, from the cache or parsed now; `None` when it is
    /// over the document limit (never parsed) or does not parse (the request reports why).
    pub fn get(&self, query: &str) -> Option<ExecutableDocument> {
        if query.len() > self.max_document_bytes {
            return None;
        }
        if let Some(document) = self.documents.get(query) {
            return Some(document);
        }
        let document = async_graphql::parser::parse_query(query).ok()?;
        self.documents.insert(query, document.clone());
        Some(document)
    }

    /// Gives `request` its parsed document, when [`Self::get`] has one.
    pub fn prepare(&self, request: &mut Request) {
        if let Some(document) = self.get(&request.query) {
            request.set_parsed_query(document);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_parsed_once_and_the_cache_stays_bounded() {
        let cache = DocumentCache::new(1000);
        let mut request = Request::new("{ __typename }");
        cache.prepare(&mut request);
        assert!(request.parsed_query().is_ok());
        assert_eq!(cache.documents.len(), 1);
        for i in 0..CAPACITY + 10 {
            cache.prepare(&mut Request::new(format!("{{ a{i}: __typename }}")));
        }
        assert!(cache.documents.len() <= CAPACITY);
        // Not cached: over the limit, or not GraphQL.
        cache.prepare(&mut Request::new("{"));
        cache.prepare(&mut Request::new(format!(
            "{{ __typename }}{}",
            " ".repeat(1000)
        )));
        assert!(cache.documents.get("{").is_none());
    }
}
