//! The committed `schema.graphql` is the server's SDL, and `swcat schema` prints it.

#[test]
fn the_committed_schema_graphql_is_current() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql at the project root");
    assert!(
        committed == swcat::graphql::sdl(),
        "schema.graphql is stale: run `cargo run -q -- schema > schema.graphql` and commit it"
    );
}

#[test]
fn swcat_schema_prints_the_sdl() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_swcat"))
        .arg("schema")
        .output()
        .expect("swcat runs");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        swcat::graphql::sdl()
    );
}
