//! Every `extensions.code` the server sends, defined once.
//!
//! The GraphQL layer attaches them to typed errors ([`super::errors`]); the HTTP layer uses
//! them for the errors it answers itself (a body that is not a GraphQL request, a mutation
//! over GET). Clients switch on these strings, so they never change.

use async_graphql::{Error, ErrorExtensions, ServerError};

/// A machine-readable error class, sent as `errors[].extensions.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A value the catalog refuses (blank name, malformed e-mail, UUID or date, bad cursor).
    BadUserInput,
    /// An update or delete named an id that does not exist.
    NotFound,
    /// A uniqueness rule would be broken (display name, or version within a software).
    Conflict,
    /// A mutation without a valid bearer token, when the server has tokens.
    Unauthenticated,
    /// Anything the client cannot fix; the details are in the server's log only.
    InternalServerError,
    /// The document is not GraphQL.
    GraphqlParseFailed,
    /// The document does not fit the schema.
    GraphqlValidationFailed,
    /// The document is valid, but `operationName` picks none of its operations (or it has
    /// several and none was named). Apollo's code.
    OperationResolutionFailure,
    /// The HTTP request is not a GraphQL request (no query, a mutation over GET, …).
    BadRequest,
    /// The request goes over one of the server's limits (body, document, batch, aliases,
    /// depth, cost); `extensions.limit` says which.
    LimitExceeded,
    /// The server is busy: too many requests are running or waiting. Retry later.
    ServiceUnavailable,
    /// A change-feed cursor older than the retained history: reload the data, then
    /// subscribe from a fresh `catalogChangeCursor`.
    CursorExpired,
    /// A request named its document by a hash the server does not know: send it again with
    /// its `query` (Apollo's automatic persisted queries), or use a trusted document's id.
    PersistedQueryNotFound,
    /// The server runs only its trusted documents (`--trusted-documents`), and this is none.
    PersistedQueryNotInList,
}

impl ErrorCode {
    /// The code as clients see it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::InternalServerError => "INTERNAL_SERVER_ERROR",
            Self::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Self::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Self::OperationResolutionFailure => "OPERATION_RESOLUTION_FAILURE",
            Self::BadRequest => "BAD_REQUEST",
            Self::LimitExceeded => "LIMIT_EXCEEDED",
            Self::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            Self::CursorExpired => "CURSOR_EXPIRED",
            Self::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Self::PersistedQueryNotInList => "PERSISTED_QUERY_NOT_IN_LIST",
        }
    }

    /// A resolver error with this code and `message`.
    pub fn error(self, message: impl Into<String>) -> Error {
        Error::new(message).extend_with(|_, extensions| extensions.set("code", self.as_str()))
    }

    /// A request-level error (parse, validation, timeout) with this code and `message`.
    pub fn server_error(self, message: impl Into<String>) -> ServerError {
        let mut error = ServerError::new(message, None);
        self.attach(&mut error);
        error
    }

    /// Gives `error` this code, replacing any it had.
    pub fn attach(self, error: &mut ServerError) {
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", self.as_str());
    }

    /// Whether `error` already carries a code.
    pub fn is_attached(error: &ServerError) -> bool {
        error
            .extensions
            .as_ref()
            .is_some_and(|extensions| extensions.get("code").is_some())
    }
}
