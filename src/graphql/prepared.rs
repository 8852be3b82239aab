//! Runs a request whose document has passed every check without async-graphql preparing
//! it a second time.
//!
//! `Schema::execute` prepares each request before running it: it takes the operation out
//! of the document, strips `@skip` and `@include`, and validates the document in its fast
//! mode, which walks every field through the registry's maps to compute a cost that the
//! gate has already computed with the full rules ([`super::gate`]). `bench/profile.sh`
//! counted that preparation at 16 k of the 358 k instructions of `software(id)`. Here a
//! checked request runs the way `Schema::execute` then runs it (`execute_once` in
//! async-graphql's `schema.rs`): the same context, the same root objects, errors gathered
//! the same way. Only the preparation is left out.
//!
//! Documents this does not take keep `Schema::execute`:
//! - any directive, anywhere: preparing applies `@skip` and `@include` and removes them;
//! - root fields that async-graphql's own query root answers (`__schema`, `__type`,
//!   `_service`, `_entities`);
//! - subscriptions, and an operation name the document does not define.
//!
//! What this uses of async-graphql is public but left out of its documentation
//! (`QueryEnv`, `SchemaEnv`, `Extensions`), so `Cargo.toml` pins async-graphql's exact
//! version: an upgrade must be read against `Schema::execute_once` first. The tests
//! compare both paths on every kind of document, and the whole API suite runs through this
//! one.

use std::sync::{Arc, Mutex, OnceLock};

use async_graphql::extensions::Extensions;
use async_graphql::futures_util::FutureExt;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
    SelectionSet,
};
use async_graphql::resolver_utils::{resolve_container, resolve_container_serial};
use async_graphql::{
    Context, Data, EmptyMutation, EmptySubscription, IntrospectionMode, Object, ObjectType,
    Positioned, QueryEnv, QueryEnvInner, Request, Response, Schema, SchemaEnv, Variables,
};

/// What running a checked request needs besides the request, found once.
pub struct Prepared {
    /// The schema's own environment (registry and data), taken from the gate's first check:
    /// async-graphql hands it to extensions, and has no other way out of a `Schema`. It is
    /// the checking schema's, built from the same types and data as the one that runs.
    env: OnceLock<SchemaEnv>,
    /// An empty set of extensions: what a schema without extensions runs with, so that
    /// every field takes async-graphql's direct path. `None` if it could not be had (then
    /// nothing runs here).
    none: Option<Extensions>,
    /// The (empty) data of every request run here: nothing that runs reads request data.
    empty: Arc<Data>,
}

impl Prepared {
    pub fn new() -> Self {
        Self {
            env: OnceLock::new(),
            none: no_extensions(),
            empty: Arc::new(Data::default()),
        }
    }

    /// Keeps the schema's environment, as the gate sees it while checking a request.
    pub fn remember(&self, env: &SchemaEnv) {
        if self.env.get().is_none() {
            let _ = self.env.set(env.clone());
        }
    }

    /// The run of a checked request, or, for what this does not take (see the module's
    /// documentation), the same request for `Schema::execute`.
    pub fn prepare(
        &self,
        document: ExecutableDocument,
        variables: Variables,
        operation_name: Option<String>,
    ) -> Result<Ready, Box<Request>> {
        let unprepared = |document, variables, operation_name| {
            let mut request = Request::new(String::new()).variables(variables);
            request.operation_name = operation_name;
            request.set_parsed_query(document);
            Box::new(request)
        };
        let (Some(schema_env), Some(extensions)) = (self.env.get(), self.none.as_ref()) else {
            return Err(unprepared(document, variables, operation_name));
        };
        if !takes(&document) {
            return Err(unprepared(document, variables, operation_name));
        }
        let ExecutableDocument {
            operations,
            fragments,
        } = document;
        let (operation_name, operation) = match operation(operations, operation_name) {
            Ok(operation) => operation,
            Err((operations, name)) => {
                let document = ExecutableDocument {
                    operations,
                    fragments,
                };
                return Err(unprepared(document, variables, name));
            }
        };
        let query_env = QueryEnv::new(QueryEnvInner {
            extensions: extensions.clone(),
            variables,
            operation_name,
            operation,
            fragments,
            uploads: Vec::new(),
            session_data: self.empty.clone(),
            query_data: self.empty.clone(),
            http_headers: Mutex::default(),
            introspection_mode: IntrospectionMode::Enabled,
            errors: Mutex::default(),
        });
        Ok(Ready {
            schema_env: schema_env.clone(),
            query_env,
        })
    }
}

/// A checked request, ready to run.
pub struct Ready {
    schema_env: SchemaEnv,
    query_env: QueryEnv,
}

impl Ready {
    /// Runs it on `query` or `mutation`, as `Schema::execute` would.
    pub async fn run<Q: ObjectType, M: ObjectType>(self, query: &Q, mutation: &M) -> Response {
        let env = &self.query_env;
        let selection_set = &env.operation.node.selection_set;
        let ctx = env.create_context(&self.schema_env, None, selection_set, None);
        let value = match env.operation.node.ty {
            OperationType::Mutation => resolve_container_serial(&ctx, mutation).await,
            // One root field (most queries) has nothing to run beside it: the serial path
            // answers the same without async-graphql's set of futures to join.
            OperationType::Query
                if matches!(
                    selection_set.node.items.as_slice(),
                    [only] if matches!(only.node, Selection::Field(_))
                ) =>
            {
                resolve_container_serial(&ctx, query).await
            }
            // `prepare` sends subscriptions to `Schema::execute`.
            OperationType::Query | OperationType::Subscription => {
                resolve_container(&ctx, query).await
            }
        };
        let mut response = match value {
            Ok(value) => Response::new(value),
            Err(error) => Response::from_errors(vec![error]),
        };
        response = response.http_headers(taken(&env.http_headers));
        response.errors.extend(taken(&env.errors));
        response
    }
}

/// What resolvers left in `cell` (headers, errors), taken out.
fn taken<T: Default>(cell: &Mutex<T>) -> T {
    std::mem::take(&mut *cell.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// The operation a request names (or the document's only one) with its name, taken out
/// of the document as async-graphql takes it; the operations and the name back when there
/// is no such operation (`Schema::execute` then says so).
// Both sides are moved once per request, whatever their size.
#[allow(clippy::type_complexity, clippy::result_large_err)]
fn operation(
    operations: DocumentOperations,
    name: Option<String>,
) -> Result<(Option<String>, Positioned<OperationDefinition>), (DocumentOperations, Option<String>)>
{
    match (operations, name) {
        (DocumentOperations::Single(operation), None) => Ok((None, operation)),
        (DocumentOperations::Multiple(mut operations), Some(name)) => {
            match operations.remove(name.as_str()) {
                Some(operation) => Ok((Some(name), operation)),
                None => Err((DocumentOperations::Multiple(operations), Some(name))),
            }
        }
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            let mut only = operations.into_iter();
            match only.next() {
                Some((name, operation)) => Ok((Some(name.to_string()), operation)),
                None => Err((DocumentOperations::Multiple(only.collect()), None)),
            }
        }
        (operations, name) => Err((operations, name)),
    }
}

/// Whether a run of `document` can leave out async-graphql's preparation: no subscription,
/// no directive anywhere, and no root field of async-graphql's own query root. Each selection set is
/// looked at once (spreads are not followed: their fragments are looked at themselves).
fn takes(document: &ExecutableDocument) -> bool {
    fn plain(set: &SelectionSet) -> bool {
        set.items.iter().all(|selection| match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                field.directives.is_empty()
                    && !matches!(
                        field.name.node.as_str(),
                        "__schema" | "__type" | "_service" | "_entities"
                    )
                    && plain(&field.selection_set.node)
            }
            Selection::InlineFragment(fragment) => {
                fragment.node.directives.is_empty() && plain(&fragment.node.selection_set.node)
            }
            Selection::FragmentSpread(spread) => spread.node.directives.is_empty(),
        })
    }
    let operation = |operation: &Positioned<OperationDefinition>| {
        operation.node.ty != OperationType::Subscription
            && operation.node.directives.is_empty()
            && plain(&operation.node.selection_set.node)
    };
    document.operations.iter().all(|(_, op)| operation(op))
        && document.fragments.values().all(|fragment| {
            fragment.node.directives.is_empty() && plain(&fragment.node.selection_set.node)
        })
}

/// An empty set of extensions. async-graphql makes one only for a request it runs, so this
/// runs one on a schema of its own: a field that keeps what its context holds. That
/// request awaits nothing, so it completes at its first poll.
fn no_extensions() -> Option<Extensions> {
    #[derive(Default)]
    struct Slot(OnceLock<Extensions>);
    struct Grab;
    #[Object]
    impl Grab {
        async fn grab(&self, ctx: &Context<'_>) -> bool {
            if let Ok(slot) = ctx.data::<Arc<Slot>>() {
                let _ = slot.0.set(ctx.query_env.extensions.clone());
            }
            true
        }
    }
    let slot = Arc::new(Slot::default());
    let schema = Schema::new(Grab, EmptyMutation, EmptySubscription);
    schema
        .execute(Request::new("{ grab }").data(slot.clone()))
        .now_or_never()?;
    slot.0.get().cloned()
}

#[cfg(test)]
mod tests {
    use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
    use async_graphql::{ErrorExtensions, Result};

    use super::*;

    #[derive(Default)]
    struct Query;

    #[Object]
    impl Query {
        async fn value(&self, n: i32) -> i32 {
            n
        }
        async fn fails(&self) -> Result<i32> {
            Err(async_graphql::Error::new("no").extend_with(|_, e| e.set("code", "BAD")))
        }
        async fn maybe(&self) -> Result<Option<i32>> {
            Err(async_graphql::Error::new("not this one"))
        }
        async fn nested(&self) -> Query {
            Query
        }
        async fn list(&self) -> Vec<Query> {
            vec![Query, Query]
        }
    }

    #[derive(Default)]
    struct Mutation;

    #[Object]
    impl Mutation {
        async fn bump(&self, by: i32) -> i32 {
            by + 1
        }
    }

    /// The gate's part here: tells `Prepared` the schema's environment.
    struct Remember(Arc<Prepared>);

    impl ExtensionFactory for Remember {
        fn create(&self) -> Arc<dyn Extension> {
            Arc::new(Remember(self.0.clone()))
        }
    }

    #[async_graphql::async_trait::async_trait]
    impl Extension for Remember {
        async fn execute(
            &self,
            ctx: &ExtensionContext<'_>,
            operation_name: Option<&str>,
            next: NextExecute<'_>,
        ) -> Response {
            self.0.remember(ctx.schema_env);
            next.run(ctx, operation_name).await
        }
    }

    /// Runs `query` both ways; `None` when `Prepared` does not take it.
    async fn both(
        query: &str,
        variables: serde_json::Value,
        name: Option<&str>,
    ) -> (serde_json::Value, Option<serde_json::Value>) {
        let prepared = Arc::new(Prepared::new());
        let build = || Schema::build(Query, Mutation, EmptySubscription);
        let checked = build().extension(Remember(prepared.clone())).finish();
        let plain = build().finish();
        let variables = Variables::from_json(variables);
        let request = || {
            let mut request = Request::new(query).variables(variables.clone());
            request.operation_name = name.map(str::to_owned);
            request
        };
        // As the gate does: the first request of a schema is checked before it runs.
        checked.execute(request()).await;
        let expected = serde_json::to_value(plain.execute(request()).await).unwrap();
        let document = async_graphql::parser::parse_query(query).unwrap();
        let answer = match prepared.prepare(document, variables, name.map(str::to_owned)) {
            Ok(ready) => Some(serde_json::to_value(ready.run(&Query, &Mutation).await).unwrap()),
            Err(_) => None,
        };
        (expected, answer)
    }

    #[tokio::test]
    async fn a_checked_request_answers_what_schema_execute_answers() {
        let cases = [
            (
                "{ value(n: 1) fails nested { value(n: 2) a: value(n: 3) } }",
                None,
            ),
            ("{ maybe list { value(n: 1) fails } }", None),
            ("query($n: Int = 5) { value(n: $n) }", None),
            ("query($n: Int!) { a: value(n: $n) b: value(n: $n) }", None),
            (
                "query A { value(n: 1) } query B { nested { value(n: 2) } }",
                Some("B"),
            ),
            ("query Only { value(n: 7) }", None),
            ("mutation { bump(by: 1) second: bump(by: 2) }", None),
            (
                "{ ...F nested { ... on Query { value(n: 4) } __typename } } \
                 fragment F on Query { value(n: 9) nested { value(n: 8) } }",
                None,
            ),
            ("{ __typename nested { __typename } }", None),
        ];
        for (query, name) in cases {
            let (expected, answer) = both(query, serde_json::json!({ "n": 3 }), name).await;
            assert_eq!(answer.as_ref(), Some(&expected), "{query}");
            assert!(expected["data"].is_object(), "{query}: {expected}");
        }
    }

    #[tokio::test]
    async fn what_needs_preparing_is_left_to_schema_execute() {
        let cases = [
            (
                "{ value(n: 1) @skip(if: true) nested { value(n: 2) } }",
                None,
            ),
            (
                "{ nested { ... on Query @include(if: false) { value(n: 2) } } }",
                None,
            ),
            (
                "{ ...F } fragment F on Query { value(n: 1) @skip(if: false) }",
                None,
            ),
            ("{ __schema { queryType { name } } }", None),
            ("{ __type(name: \"Query\") { name } }", None),
            ("query A { value(n: 1) } query B { value(n: 2) }", Some("C")),
            ("query A { value(n: 1) } query B { value(n: 2) }", None),
            ("{ value(n: 1) }", Some("A")),
        ];
        for (query, name) in cases {
            let (_, answer) = both(query, serde_json::json!({}), name).await;
            assert_eq!(answer, None, "{query}");
        }
    }

    #[test]
    fn an_empty_set_of_extensions_can_be_had() {
        assert!(no_extensions().is_some());
    }
}
